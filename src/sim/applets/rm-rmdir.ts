import { SimFsError } from '../sim-fs.js';
import type { SimFs } from '../sim-fs.js';
import type { AppletContext } from '../process/context.js';
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
      if (st.type === 'dir' && !recursive) {
        ctx.stderr.write(`rm: '${a}' is a directory\n`);
        status = 1;
        continue;
      }
    } catch (e) {
      if (!(e instanceof SimFsError)) throw e;
      if (force && e.code === 'ENOENT') continue;
      ctx.stderr.write(`rm: can't remove '${a}': ${e.text}\n`);
      status = 1;
      continue;
    }
    if (!removeFile(fs, p, a, (text) => ctx.stderr.write(text))) status = 1;
  }
  return status;
}

/**
 * busybox libbb `remove_file` with FILEUTILS_RECUR: a dir's entries are removed one by one,
 * a failure is reported by its path and the rest still go; the dir itself only when all
 * of them went. So `rm -rf /` empties what it can and leaves the mount points.
 */
function removeFile(fs: SimFs, p: string, shown: string, report: (text: string) => void): boolean {
  try {
    if (fs.lstat(p).type === 'dir') {
      let ok = true;
      for (const n of fs.readdir(p)) {
        const child = p === '/' ? `/${n}` : `${p}/${n}`;
        if (!removeFile(fs, child, shown.endsWith('/') ? `${shown}${n}` : `${shown}/${n}`, report)) ok = false;
      }
      if (!ok) return false;
      fs.rmdir(p);
    } else fs.unlink(p);
    return true;
  } catch (e) {
    if (!(e instanceof SimFsError)) throw e;
    report(`rm: can't remove '${shown}': ${e.text}\n`);
    return false;
  }
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
