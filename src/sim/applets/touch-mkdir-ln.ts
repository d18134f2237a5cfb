import { SimFsError } from '../sim-fs.js';
import type { AppletContext } from '../process/context.js';
import { badOption, basename, errText, getopt, resolvePath } from './util.js';

export async function touch(ctx: AppletContext): Promise<number> {
  const o = getopt(ctx.argv.slice(1), 'cd:t:r:hm');
  if (o.bad) return badOption(ctx, 'touch', o.bad, '[-cham] [-d DATE] [-t DATE] [-r FILE] FILE...');
  const fs = ctx.container.fs;
  let status = 0;
  const now = ctx.container.clock.now();
  for (const a of o.args) {
    const p = resolvePath(ctx.cwd, a);
    try {
      if (fs.exists(p)) fs.utimes(p, now);
      else if (!o.flags.has('c')) fs.writeFile(p, new Uint8Array(0));
    } catch (e) {
      ctx.stderr.write(`touch: ${a}: ${errText(e)}\n`);
      status = 1;
    }
  }
  return status;
}

export async function mkdir(ctx: AppletContext): Promise<number> {
  const o = getopt(ctx.argv.slice(1), 'pm:v');
  if (o.bad) return badOption(ctx, 'mkdir', o.bad, '[-m MODE] [-p] DIRECTORY...');
  const fs = ctx.container.fs;
  const mode = o.values.has('m') ? parseInt(o.values.get('m')!, 8) : 0o755;
  let status = 0;
  for (const a of o.args) {
    const p = resolvePath(ctx.cwd, a);
    try {
      if (o.flags.has('p')) {
        let cur = '';
        for (const seg of p.split('/').filter(Boolean)) {
          cur += `/${seg}`;
          if (!fs.exists(cur)) fs.mkdir(cur, { mode: 0o755 });
          else if (fs.stat(cur).type !== 'dir') throw new SimFsError('ENOTDIR', cur);
        }
        if (o.values.has('m')) fs.chmod(p, mode);
      } else fs.mkdir(p, { mode });
    } catch (e) {
      ctx.stderr.write(`mkdir: can't create directory '${a}': ${errText(e)}\n`);
      status = 1;
    }
  }
  return status;
}

export async function ln(ctx: AppletContext): Promise<number> {
  const o = getopt(ctx.argv.slice(1), 'sfnbS:vTL');
  if (o.bad) return badOption(ctx, 'ln', o.bad, '[-sfnbtv] [-S SUF] TARGET... LINK|DIR');
  const fs = ctx.container.fs;
  if (o.args.length === 0) return badOption(ctx, 'ln', '', '[-sfnbtv] [-S SUF] TARGET... LINK|DIR');
  const args = o.args.length === 1 ? [...o.args, '.'] : o.args;
  const dest = args[args.length - 1]!;
  const targets = args.slice(0, -1);
  const destPath = resolvePath(ctx.cwd, dest);
  const destIsDir = fs.exists(destPath) && fs.stat(destPath).type === 'dir' && !o.flags.has('n');
  let status = 0;
  for (const t of targets) {
    const link = destIsDir ? `${destPath}/${basename(t)}` : destPath;
    try {
      if (o.flags.has('f') && safeExists(ctx, link)) fs.unlink(link);
      if (o.flags.has('s')) fs.symlink(t, link);
      else {
        // The simulator has no hard links: a copy keeps the content, as the link would show it.
        const src = resolvePath(ctx.cwd, t);
        const st = fs.stat(src);
        fs.writeFile(link, fs.readFile(src), { mode: st.mode });
      }
    } catch (e) {
      ctx.stderr.write(`ln: ${link.endsWith(basename(t)) && destIsDir ? `${dest}/${basename(t)}` : dest}: ${errText(e)}\n`);
      status = 1;
    }
  }
  return status;
}

function safeExists(ctx: AppletContext, p: string): boolean {
  try {
    ctx.container.fs.lstat(p);
    return true;
  } catch {
    return false;
  }
}
