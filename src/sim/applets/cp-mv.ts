import { SimFsError } from '../sim-fs.js';
import type { SimFs } from '../sim-fs.js';
import type { AppletContext } from '../process/context.js';
import { badOption, basename, getopt, resolvePath } from './util.js';
import { removeTree } from './rm-rmdir.js';

interface CopyOpts {
  recursive: boolean;
  preserve: boolean;
  noDeref: boolean;
  now: number;
}

/** Copies one path; directories only with `recursive`. Returns false after printing an error. */
function copy(ctx: AppletContext, fs: SimFs, src: string, dst: string, shown: string, opts: CopyOpts): boolean {
  const st = opts.noDeref ? fs.lstat(src) : fs.stat(src);
  if (st.type === 'dir') {
    if (!opts.recursive) {
      ctx.stderr.write(`cp: omitting directory '${shown}'\n`);
      return false;
    }
    if (!fs.exists(dst)) fs.mkdir(dst, { mode: st.mode });
    let ok = true;
    for (const n of fs.readdir(src)) ok = copy(ctx, fs, `${src}/${n}`, `${dst}/${n}`, `${shown}/${n}`, opts) && ok;
    if (opts.preserve) {
      fs.chown(dst, st.uid, st.gid);
      fs.utimes(dst, st.mtimeMs);
    }
    return ok;
  }
  if (st.type === 'symlink') {
    fs.symlink(fs.readlink(src), dst);
    return true;
  }
  fs.writeFile(dst, fs.readFile(src), { mode: st.mode });
  if (opts.preserve) {
    fs.chmod(dst, st.mode);
    fs.chown(dst, st.uid, st.gid);
    fs.utimes(dst, st.mtimeMs);
  }
  return true;
}

function destinations(ctx: AppletContext, args: string[]): { sources: string[]; target: string; intoDir: boolean } {
  const fs = ctx.container.fs;
  const target = resolvePath(ctx.cwd, args[args.length - 1]!);
  const intoDir = fs.exists(target) && fs.stat(target).type === 'dir';
  return { sources: args.slice(0, -1), target, intoDir };
}

export async function cp(ctx: AppletContext): Promise<number> {
  const o = getopt(ctx.argv.slice(1), 'rRapdPLHfinuvlsT');
  if (o.bad) return badOption(ctx, 'cp', o.bad, '[-arPLHpfinlsTu] SOURCE DEST');
  if (o.args.length < 2) return badOption(ctx, 'cp', '', '[-arPLHpfinlsTu] SOURCE DEST');
  const fs = ctx.container.fs;
  const f = o.flags;
  const opts: CopyOpts = {
    recursive: f.has('r') || f.has('R') || f.has('a'),
    preserve: f.has('p') || f.has('a'),
    noDeref: f.has('a') || f.has('d') || f.has('P'),
    now: ctx.container.clock.now(),
  };
  const { sources, target, intoDir } = destinations(ctx, o.args);
  if (sources.length > 1 && !intoDir) {
    ctx.stderr.write(`cp: '${o.args[o.args.length - 1]}' is not a directory\n`);
    return 1;
  }
  let status = 0;
  for (const s of sources) {
    const src = resolvePath(ctx.cwd, s);
    const dst = intoDir ? `${target === '/' ? '' : target}/${basename(s)}` : target;
    try {
      if (!copy(ctx, fs, src, dst, s, opts)) status = 1;
    } catch (e) {
      if (!(e instanceof SimFsError)) throw e;
      ctx.stderr.write(
        e.path === src || (e.code === 'ENOENT' && !fs.exists(src)) ? `cp: can't stat '${s}': ${e.text}\n` : `cp: can't create '${dst}': ${e.text}\n`,
      );
      status = 1;
    }
  }
  return status;
}

export async function mv(ctx: AppletContext): Promise<number> {
  const o = getopt(ctx.argv.slice(1), 'finvT');
  if (o.bad) return badOption(ctx, 'mv', o.bad, '[-finT] SOURCE DEST');
  if (o.args.length < 2) return badOption(ctx, 'mv', '', '[-finT] SOURCE DEST');
  const fs = ctx.container.fs;
  const { sources, target, intoDir } = destinations(ctx, o.args);
  let status = 0;
  for (const s of sources) {
    const src = resolvePath(ctx.cwd, s);
    const dst = intoDir ? `${target === '/' ? '' : target}/${basename(s)}` : target;
    try {
      fs.lstat(src);
    } catch (e) {
      if (!(e instanceof SimFsError)) throw e;
      ctx.stderr.write(`mv: can't rename '${s}': ${e.text}\n`);
      status = 1;
      continue;
    }
    try {
      fs.rename(src, dst);
    } catch (e) {
      if (!(e instanceof SimFsError)) throw e;
      if (e.code !== 'EXDEV') {
        ctx.stderr.write(`mv: can't rename '${s}': ${e.text}\n`);
        status = 1;
        continue;
      }
      // overlayfs without redirect_dir: renaming a lower directory is EXDEV, so mv copies then deletes.
      try {
        if (fs.exists(dst) && fs.lstat(dst).type === 'dir') removeTree(fs, dst);
        copy(ctx, fs, src, dst, s, { recursive: true, preserve: true, noDeref: true, now: ctx.container.clock.now() });
        removeTree(fs, src);
      } catch (e2) {
        if (!(e2 instanceof SimFsError)) throw e2;
        ctx.stderr.write(`mv: can't rename '${s}': ${e2.text}\n`);
        status = 1;
      }
    }
  }
  return status;
}
