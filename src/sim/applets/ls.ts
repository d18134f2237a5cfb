import { SimFsError, type SimStat } from '../sim-fs.js';
import type { AppletContext } from '../process/context.js';
import { badOption, getopt, groupName, resolvePath, userName } from './util.js';

const USAGE = '[-1AaCxdLHRFplinshrSXvctu] [-w WIDTH] [FILE]...';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const HALF_YEAR_MS = (365 / 2) * 86400 * 1000;
// The simulator has no terminal size: 80 columns, as a fresh `docker run -t` gets.
const TERMINAL_WIDTH = 80;

interface Entry {
  name: string;
  path: string;
  st: SimStat;
}

/** busybox ls: one name per line when stdout is not a terminal, columns when it is. */
export async function ls(ctx: AppletContext): Promise<number> {
  const o = getopt(ctx.argv.slice(1), '1AaCxdLHRFplinshrSXvctuw:');
  if (o.bad) return badOption(ctx, 'ls', o.bad, USAGE);
  const f = o.flags;
  const fs = ctx.container.fs;
  const long = f.has('l') || f.has('n');
  const columns = !long && !f.has('1') && (f.has('C') || f.has('x') || ctx.stdout.isTTY);
  let status = 0;
  const now = ctx.container.clock.now();
  const cache = new Map<string, string>();
  const owner = (kind: 'u' | 'g', id: number) => {
    if (f.has('n')) return String(id);
    const k = kind + id;
    let v = cache.get(k);
    if (v === undefined) cache.set(k, (v = kind === 'u' ? userName(ctx, id) : groupName(ctx, id)));
    return v;
  };

  const line = (e: Entry): string => {
    const st = e.st;
    const size = f.has('h') ? human(st.size) : String(st.size);
    let s = `${modeString(st)} ${String(st.nlink).padStart(4)} ${owner('u', st.uid).padEnd(8)} ${owner('g', st.gid).padEnd(8)} ${size.padStart(9)} ${dateString(st.mtimeMs, now)} ${e.name}`;
    if (st.type === 'symlink') s += ` -> ${safe(() => fs.readlink(e.path))}`;
    else if (f.has('F')) s += suffix(st);
    return s;
  };
  const shortName = (e: Entry) => (f.has('F') ? e.name + suffix(e.st) : e.name);

  const print = (entries: Entry[], total: boolean) => {
    if (long) {
      let out = total ? `total ${entries.reduce((n, e) => n + blocks(e.st), 0)}\n` : '';
      for (const e of entries) out += line(e) + '\n';
      ctx.stdout.write(out);
    } else if (columns) ctx.stdout.write(columnise(entries.map(shortName), f.has('x')));
    else ctx.stdout.write(entries.map((e) => shortName(e) + '\n').join(''));
  };

  const statOf = (path: string, follow: boolean): SimStat => {
    const st = fs.lstat(path);
    if (st.type === 'symlink' && follow) {
      try {
        return fs.stat(path);
      } catch {
        return st;
      }
    }
    return st;
  };

  const listDir = (path: string): Entry[] => {
    const names = fs.readdir(path);
    const all = f.has('a') ? ['.', '..', ...names] : names.filter((n) => f.has('A') || !n.startsWith('.'));
    const entries = all.map((name) => {
      const p = name === '.' ? path : name === '..' ? resolvePath(path, '..') : path === '/' ? `/${name}` : `${path}/${name}`;
      return { name, path: p, st: statOf(p, f.has('L')) };
    });
    return sortEntries(entries, f);
  };

  const operands = o.args.length ? o.args : ['.'];
  const files: Entry[] = [];
  const dirs: Entry[] = [];
  for (const a of operands) {
    const p = resolvePath(ctx.cwd, a);
    try {
      // ls follows a symlink named on the command line unless -l (or -d) shows the link itself.
      const st = statOf(p, !long && !f.has('d') ? true : f.has('L') || f.has('H'));
      const e = { name: a, path: p, st };
      if (st.type === 'dir' && !f.has('d')) dirs.push(e);
      else files.push(e);
    } catch (e) {
      if (!(e instanceof SimFsError)) throw e;
      ctx.stderr.write(`ls: ${a}: ${e.text}\n`);
      status = 1;
    }
  }
  if (files.length) print(sortEntries(files, f), false);
  const showHeader = operands.length > 1 || f.has('R');
  let first = files.length === 0;
  const walk = (d: Entry) => {
    if (!first) ctx.stdout.write('\n');
    first = false;
    if (showHeader) ctx.stdout.write(`${d.name}:\n`);
    let entries: Entry[];
    try {
      entries = listDir(d.path);
    } catch (e) {
      if (!(e instanceof SimFsError)) throw e;
      ctx.stderr.write(`ls: ${d.name}: ${e.text}\n`);
      status = 1;
      return;
    }
    print(entries, true);
    if (f.has('R')) {
      for (const e of entries) {
        if (e.st.type === 'dir' && e.name !== '.' && e.name !== '..') walk({ ...e, name: `${d.name === '/' ? '' : d.name}/${e.name}` });
      }
    }
  };
  for (const d of sortEntries(dirs, f)) walk(d);
  return status;
}

function sortEntries(entries: Entry[], f: Set<string>): Entry[] {
  let cmp: (a: Entry, b: Entry) => number = (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  if (f.has('t')) cmp = (a, b) => b.st.mtimeMs - a.st.mtimeMs || (a.name < b.name ? -1 : 1);
  else if (f.has('S')) cmp = (a, b) => b.st.size - a.st.size || (a.name < b.name ? -1 : 1);
  const out = [...entries].sort(cmp);
  return f.has('r') ? out.reverse() : out;
}

/** st_blocks / 2: the 1 KiB units of `total`. */
function blocks(st: SimStat): number {
  if (st.type === 'symlink' || st.type === 'chardev') return 0;
  return Math.ceil(st.size / 4096) * 4;
}

export function modeString(st: SimStat): string {
  const t = st.type === 'dir' ? 'd' : st.type === 'symlink' ? 'l' : st.type === 'chardev' ? 'c' : '-';
  const m = st.mode;
  const bit = (mask: number, c: string) => (m & mask ? c : '-');
  const exec = (x: number, special: number, set: string, unset: string) => (m & special ? (m & x ? set : unset) : m & x ? 'x' : '-');
  return (
    t +
    bit(0o400, 'r') +
    bit(0o200, 'w') +
    exec(0o100, 0o4000, 's', 'S') +
    bit(0o040, 'r') +
    bit(0o020, 'w') +
    exec(0o010, 0o2000, 's', 'S') +
    bit(0o004, 'r') +
    bit(0o002, 'w') +
    exec(0o001, 0o1000, 't', 'T')
  );
}

/** `Nov 28 13:12` for the last six months, `Jan  2  2020` otherwise (and for the future). */
export function dateString(ms: number, now: number): string {
  const d = new Date(ms);
  const head = `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)}`;
  if (ms <= now && now - ms < HALF_YEAR_MS) return `${head} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
  return `${head}  ${d.getUTCFullYear()}`;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** busybox's human-readable sizes: `1.9M`, `4.0K`, plain bytes below 1 KiB. */
export function human(n: number): string {
  const units = ['', 'K', 'M', 'G', 'T'];
  let u = 0;
  let v = n;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  if (u === 0) return String(n);
  return `${v.toFixed(1)}${units[u]}`;
}

function suffix(st: SimStat): string {
  if (st.type === 'dir') return '/';
  if (st.type === 'symlink') return '@';
  if (st.mode & 0o111) return '*';
  return '';
}

/** Column-major (or row-major with -x) columns two spaces apart; the last column unpadded. */
function columnise(names: string[], across: boolean): string {
  if (!names.length) return '';
  const width = Math.max(...names.map((n) => n.length)) + 2;
  const ncols = Math.max(1, Math.floor(TERMINAL_WIDTH / width));
  const nrows = Math.ceil(names.length / ncols);
  let out = '';
  for (let r = 0; r < nrows; r++) {
    let row = '';
    for (let c = 0; c < ncols; c++) {
      const i = across ? r * ncols + c : c * nrows + r;
      const n = names[i];
      if (n === undefined) break;
      const nextIdx = across ? i + 1 : i + nrows;
      const lastInRow = c === ncols - 1 || names[nextIdx] === undefined || (across && nextIdx >= (r + 1) * ncols);
      row += lastInRow ? n : n.padEnd(width);
    }
    out += row + '\n';
  }
  return out;
}

function safe(f: () => string): string {
  try {
    return f();
  } catch {
    return '';
  }
}
