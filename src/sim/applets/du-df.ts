import { SimFsError } from '../sim-fs.js';
import type { AppletContext } from '../process/context.js';
import { human } from './ls.js';
import { badOption, getopt, resolvePath } from './util.js';

/** du [-s] [-h] [-a]: 1 KiB blocks, 4 KiB per directory and per started 4 KiB of a file (ext4). */
export async function du(ctx: AppletContext): Promise<number> {
  const o = getopt(ctx.argv.slice(1), 'shakmcd:xlLHP');
  if (o.bad) return badOption(ctx, 'du', o.bad, '[-aHLdclsxhmk] [FILE]...');
  const f = o.flags;
  const fs = ctx.container.fs;
  const fmt = (kb: number) => (f.has('h') ? humanBlocks(kb) : String(kb));
  let out = '';
  let status = 0;
  let grand = 0;
  const walk = (shown: string, depth: number): number => {
    const p = resolvePath(ctx.cwd, shown);
    const st = fs.lstat(p);
    let kb = st.type === 'dir' ? 4 : st.type === 'file' ? Math.ceil(st.size / 4096) * 4 : 0;
    if (st.type === 'dir') {
      for (const n of fs.readdir(p)) kb += walk(shown.endsWith('/') ? shown + n : `${shown}/${n}`, depth + 1);
      if (!f.has('s') || depth === 0) out += `${fmt(kb)}\t${shown}\n`;
    } else if (depth === 0 || f.has('a')) out += `${fmt(kb)}\t${shown}\n`;
    return kb;
  };
  for (const a of o.args.length ? o.args : ['.']) {
    try {
      grand += walk(a, 0);
    } catch (e) {
      if (!(e instanceof SimFsError)) throw e;
      ctx.stderr.write(`du: ${a}: ${e.text}\n`);
      status = 1;
    }
  }
  if (f.has('c')) out += `${fmt(grand)}\ttotal\n`;
  ctx.stdout.write(out);
  return status;
}

function humanBlocks(kb: number): string {
  return kb === 0 ? '0' : human(kb * 1024);
}

/**
 * df [-h]: the container's root is the overlay mount. Its sizes are the host disk's as
 * Linux reports them for an overlay on it; the simulator uses the host's memory size.
 */
export async function df(ctx: AppletContext): Promise<number> {
  const o = getopt(ctx.argv.slice(1), 'hkmPaiT');
  if (o.bad) return badOption(ctx, 'df', o.bad, '[-PkmhTai] [-B SIZE] [FILESYSTEM]...');
  const totalKb = Math.floor(ctx.container.host.memoryBytes / 1024);
  const usedKb = countKb(ctx, '/');
  const availKb = Math.max(0, totalKb - usedKb);
  const pct = totalKb ? Math.ceil((usedKb * 100) / totalKb) : 0;
  if (o.flags.has('h')) {
    const h = (kb: number) => (kb === 0 ? '0' : human(kb * 1024));
    ctx.stdout.write(
      `Filesystem                Size      Used Available Use% Mounted on\n${'overlay'.padEnd(20)}${h(totalKb).padStart(10)}${h(usedKb).padStart(10)}${h(availKb).padStart(10)}${`${pct}%`.padStart(5)} /\n`,
    );
  } else {
    ctx.stdout.write(
      `Filesystem           1K-blocks      Used Available Use% Mounted on\n${'overlay'.padEnd(20)}${String(totalKb).padStart(10)}${String(usedKb).padStart(10)}${String(availKb).padStart(10)}${`${pct}%`.padStart(5)} /\n`,
    );
  }
  return 0;
}

function countKb(ctx: AppletContext, p: string): number {
  const fs = ctx.container.fs;
  const st = fs.lstat(p);
  if (st.type === 'dir') return 4 + fs.readdir(p).reduce((n, c) => n + countKb(ctx, p === '/' ? `/${c}` : `${p}/${c}`), 0);
  return st.type === 'file' ? Math.ceil(st.size / 4096) * 4 : 0;
}
