import { SimFsError } from '../sim-fs.js';
import type { SimFs } from '../sim-fs.js';
import type { AppletContext } from './types.js';
import { badOption, getopt, resolvePath } from './util.js';

export async function rm(ctx: AppletContext): Promise<number> {
  const o = getopt(ctx.argv.slice(1), 'rRfiv');
  if (o.bad) return badOption(ctx, 'rm', o.bad, '[-irf] FILE...');
  const fs = ctx.container.fs;
  const force = o.flags.has('f');
  const recursive = o.flags.has('r') || o.flags.has('R');
  let status = 0;
  for (const a of o.args) {
    const p = resolvePath(ctx.cwd, a);
    try {
      const st = fs.lstat(p);
      if (st.type === 'dir') {
        if (!recursive) {
          ctx.stderr.write(`rm: '${a}' is a directory\n`);
          status = 1;
          continue;
        }
        removeTree(fs, p);
      } else fs.unlink(p);
    } catch (e) {
      if (!(e instanceof SimFsError)) throw e;
      if (force && e.code === 'ENOENT') continue;
      ctx.stderr.write(`rm: can't remove '${a}': ${e.text}\n`);
      status = 1;
    }
  }
  return status;
}

export function removeTree(fs: SimFs, p: string): void {
  if (fs.lstat(p).type === 'dir') {
    for (const n of fs.readdir(p)) removeTree(fs, p === '/' ? `/${n}` : `${p}/${n}`);
    fs.rmdir(p);
  } else fs.unlink(p);
}

export async function rmdir(ctx: AppletContext): Promise<number> {
  const o = getopt(ctx.argv.slice(1), 'p');
  if (o.bad) return badOption(ctx, 'rmdir', o.bad, '[-p] DIRECTORY...');
  let status = 0;
  for (const a of o.args) {
    try {
      ctx.container.fs.rmdir(resolvePath(ctx.cwd, a));
    } catch (e) {
      if (!(e instanceof SimFsError)) throw e;
      ctx.stderr.write(`rmdir: '${a}': ${e.text}\n`);
      status = 1;
    }
  }
  return status;
}
