import { yieldToLoop } from '../../engine/digest-stream.js';
import type { AppletContext } from '../process/context.js';
import { badOption, getopt } from './util.js';
import { inputs, lines } from './text-read.js';

async function readLines(ctx: AppletContext, files: string[], name: string): Promise<{ lines: string[]; status: number }> {
  const all: string[] = [];
  let status = 0;
  for await (const input of inputs(ctx, files, name)) {
    if ('error' in input) {
      ctx.stderr.write(input.error + '\n');
      status = 1;
    } else all.push(...lines(input.text));
  }
  return { lines: all, status };
}

/** sort [-r] [-n] [-u] [-k N] [-t SEP] */
export async function sort(ctx: AppletContext): Promise<number> {
  const o = getopt(ctx.argv.slice(1), 'nrufbk:t:s');
  if (o.bad) return badOption(ctx, 'sort', o.bad, '[-nrufbs] [-k START] [-t CHAR] [FILE]...');
  const f = o.flags;
  const { lines: ls, status } = await readLines(ctx, o.args, 'sort');
  const sep = o.values.get('t');
  const k = o.values.has('k') ? Number.parseInt(o.values.get('k')!, 10) : 0;
  const key = (l: string) => {
    let s = l;
    if (k > 0) s = (sep !== undefined ? l.split(sep) : l.trim().split(/\s+/)).slice(k - 1).join(sep ?? ' ');
    return f.has('f') ? s.toUpperCase() : s;
  };
  const cmp = (a: string, b: string) => {
    let r: number;
    if (f.has('n')) r = (Number.parseFloat(key(a)) || 0) - (Number.parseFloat(key(b)) || 0);
    else {
      const ka = key(a);
      const kb = key(b);
      r = ka < kb ? -1 : ka > kb ? 1 : 0;
    }
    if (r === 0 && !f.has('s')) r = a < b ? -1 : a > b ? 1 : 0;
    return f.has('r') ? -r : r;
  };
  let out = [...ls].sort(cmp);
  if (f.has('u')) out = out.filter((l, i) => i === 0 || cmp(out[i - 1]!, l) !== 0);
  ctx.stdout.write(out.map((l) => l + '\n').join(''));
  return status;
}

/** uniq [-c] [-d] [-u] */
export async function uniq(ctx: AppletContext): Promise<number> {
  const o = getopt(ctx.argv.slice(1), 'cdui');
  if (o.bad) return badOption(ctx, 'uniq', o.bad, '[-cdui] [INPUT [OUTPUT]]');
  const f = o.flags;
  const { lines: ls, status } = await readLines(ctx, o.args.slice(0, 1), 'uniq');
  const eq = (a: string, b: string) => (f.has('i') ? a.toLowerCase() === b.toLowerCase() : a === b);
  let out = '';
  for (let i = 0; i < ls.length;) {
    let j = i + 1;
    while (j < ls.length && eq(ls[j]!, ls[i]!)) j++;
    const n = j - i;
    if ((!f.has('d') || n > 1) && (!f.has('u') || n === 1)) out += f.has('c') ? `${String(n).padStart(7)} ${ls[i]}\n` : `${ls[i]}\n`;
    i = j;
  }
  ctx.stdout.write(out);
  return status;
}

function expandSet(s: string): string {
  const classes: Record<string, string> = {
    '[:upper:]': 'A-Z',
    '[:lower:]': 'a-z',
    '[:digit:]': '0-9',
    '[:space:]': ' \t\n\r\v\f',
    '[:alpha:]': 'A-Za-z',
    '[:alnum:]': 'A-Za-z0-9',
  };
  for (const [k, v] of Object.entries(classes)) s = s.split(k).join(v);
  s = s.replace(/\\n/g, '\n').replace(/\\t/g, '\t').replace(/\\\\/g, '\\');
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i + 1] === '-' && i + 2 < s.length) {
      for (let c = s.charCodeAt(i); c <= s.charCodeAt(i + 2); c++) out += String.fromCharCode(c);
      i += 2;
    } else out += s[i];
  }
  return out;
}

/** tr [-d] [-s] [-c] SET1 [SET2] */
export async function tr(ctx: AppletContext): Promise<number> {
  const o = getopt(ctx.argv.slice(1), 'dsc');
  if (o.bad) return badOption(ctx, 'tr', o.bad, '[-cds] STRING1 [STRING2]');
  const [a, b] = o.args;
  if (a === undefined) return badOption(ctx, 'tr', '', '[-cds] STRING1 [STRING2]');
  const set1 = expandSet(a);
  const set2 = b !== undefined ? expandSet(b) : '';
  const text = await ctx.stdin.readText();
  let out = '';
  let last = '';
  for (const c of text) {
    const inSet = set1.includes(c) !== o.flags.has('c');
    let r = c;
    if (inSet && o.flags.has('d')) continue;
    if (inSet && set2) {
      const idx = o.flags.has('c') ? set2.length - 1 : set1.indexOf(c);
      r = set2[Math.min(idx, set2.length - 1)]!;
    }
    if (o.flags.has('s') && r === last && (set2 ? set2.includes(r) : set1.includes(r))) continue;
    out += r;
    last = r;
  }
  ctx.stdout.write(out);
  return 0;
}

function parseList(spec: string): (i: number) => boolean {
  const ranges = spec.split(',').map((r) => {
    const [s, e] = r.split('-');
    const start = s ? Number(s) : 1;
    const end = r.includes('-') ? (e ? Number(e) : Infinity) : start;
    return [start, end] as const;
  });
  return (i) => ranges.some(([s, e]) => i >= s && i <= e);
}

/** cut -f LIST [-d C] [-s] | -c LIST | -b LIST */
export async function cut(ctx: AppletContext): Promise<number> {
  const o = getopt(ctx.argv.slice(1), 'f:d:c:b:s');
  if (o.bad) return badOption(ctx, 'cut', o.bad, '[OPTIONS] [FILE]...');
  const { lines: ls, status } = await readLines(ctx, o.args, 'cut');
  const delim = o.values.get('d') ?? '\t';
  let out = '';
  if (o.values.has('f')) {
    const want = parseList(o.values.get('f')!);
    for (const l of ls) {
      if (!l.includes(delim)) {
        if (!o.flags.has('s')) out += l + '\n';
        continue;
      }
      out +=
        l
          .split(delim)
          .filter((_x, i) => want(i + 1))
          .join(delim) + '\n';
    }
  } else if (o.values.has('c') || o.values.has('b')) {
    const want = parseList((o.values.get('c') ?? o.values.get('b'))!);
    for (const l of ls) out += [...l].filter((_x, i) => want(i + 1)).join('') + '\n';
  } else {
    ctx.stderr.write('cut: expected a list of bytes, characters, or fields\n');
    return 1;
  }
  ctx.stdout.write(out);
  return status;
}

/**
 * What seq writes at a time, with a turn of the event loop between: as busybox's seq does
 * through stdio's buffer, the count reaches its reader as it goes, and `seq 1 200000` is
 * no single task that holds the page (nor an endless count, which a kill now stops).
 */
const SEQ_CHUNK_CHARS = 64 * 1024;

/** seq [FIRST [INC]] LAST */
export async function seq(ctx: AppletContext): Promise<number> {
  const args = ctx.argv.slice(1).filter((a) => !/^-[ws]/.test(a));
  const nums = args.map(Number);
  if (!nums.length || nums.some((n) => Number.isNaN(n))) {
    const bad = args.find((a) => Number.isNaN(Number(a)));
    if (bad !== undefined) ctx.stderr.write(`seq: invalid number '${bad}'\n`);
    else ctx.stderr.write('seq: missing operand\n');
    return 1;
  }
  const [first, inc, last] = nums.length === 1 ? [1, 1, nums[0]!] : nums.length === 2 ? [nums[0]!, 1, nums[1]!] : [nums[0]!, nums[1]!, nums[2]!];
  let out = '';
  if (inc === 0) return 0;
  for (let v = first; inc > 0 ? v <= last : v >= last; v += inc) {
    out += `${v}\n`;
    if (out.length < SEQ_CHUNK_CHARS) continue;
    ctx.stdout.write(out);
    out = '';
    await yieldToLoop();
    if (ctx.signal.aborted) return 0;
  }
  ctx.stdout.write(out);
  return 0;
}
