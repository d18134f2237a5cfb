import { SimFsError } from '../sim-fs.js';
import type { AppletContext } from '../process/context.js';
import { badOption, getopt, resolvePath } from './util.js';
import { inputs, lines } from './text-read.js';

/** POSIX basic regular expressions into JavaScript ones: `\( \) \{ \} \|` are the operators. */
export function breToRegExp(pattern: string, extended: boolean, ignoreCase: boolean, fixed: boolean): RegExp {
  if (fixed) return new RegExp(pattern.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'), ignoreCase ? 'i' : '');
  if (extended) return new RegExp(pattern, ignoreCase ? 'i' : '');
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) {
      const n = pattern[++i]!;
      re += '(){}|+?'.includes(n) ? n : `\\${n}`;
    } else if ('(){}|+?'.includes(c)) re += `\\${c}`;
    else if (c === '[') {
      const end = pattern.indexOf(']', i + (pattern[i + 1] === ']' ? 2 : pattern[i + 1] === '^' && pattern[i + 2] === ']' ? 3 : 1));
      if (end < 0) {
        re += '\\[';
        continue;
      }
      re += pattern
        .slice(i, end + 1)
        .replace(/\[:alpha:\]/g, 'A-Za-z')
        .replace(/\[:digit:\]/g, '0-9')
        .replace(/\[:space:\]/g, '\\s')
        .replace(/\[:alnum:\]/g, 'A-Za-z0-9')
        .replace(/\[:upper:\]/g, 'A-Z')
        .replace(/\[:lower:\]/g, 'a-z');
      i = end;
    } else if (c === '*' && (re === '' || re === '^')) re += '\\*';
    else re += c;
  }
  return new RegExp(re, ignoreCase ? 'i' : '');
}

export async function grep(ctx: AppletContext): Promise<number> {
  const o = getopt(ctx.argv.slice(1), 'ivncqrRlLhHwxEFse:o');
  if (o.bad) return badOption(ctx, 'grep', o.bad, '[-HhnlLoqvsrRiwFE] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...');
  const f = o.flags;
  const args = [...o.args];
  const pattern = o.values.get('e') ?? args.shift();
  if (pattern === undefined) return badOption(ctx, 'grep', '', '[-HhnlLoqvsrRiwFE] PATTERN [FILE]...');
  let re = breToRegExp(pattern, f.has('E'), f.has('i'), f.has('F'));
  if (f.has('w')) re = new RegExp(`(^|\\W)(?:${re.source})(\\W|$)`, re.flags);
  if (f.has('x')) re = new RegExp(`^(?:${re.source})$`, re.flags);
  const recursive = f.has('r') || f.has('R');
  let files = args;
  if (recursive) files = expandTree(ctx, args.length ? args : ['.']);
  const showName = !f.has('h') && (f.has('H') || files.length > 1 || recursive);
  let matched = false;
  let status = 0;
  for await (const input of inputs(ctx, files, 'grep')) {
    if ('error' in input) {
      if (!f.has('s')) ctx.stderr.write(input.error.replace(/can't open '([^']*)': /, '$1: ') + '\n');
      status = 2;
      continue;
    }
    const name = input.name === '-' ? '(standard input)' : input.name;
    let count = 0;
    let out = '';
    lines(input.text).forEach((line, idx) => {
      const hit = re.test(line) !== f.has('v');
      if (!hit) return;
      count++;
      if (f.has('c') || f.has('l') || f.has('L') || f.has('q')) return;
      const shown = f.has('o') ? (line.match(new RegExp(re.source, re.flags + 'g')) ?? []).join('\n') : line;
      out += `${showName ? `${name}:` : ''}${f.has('n') ? `${idx + 1}:` : ''}${shown}\n`;
    });
    if (count) matched = true;
    if (f.has('q') && matched) return 0;
    if (f.has('c')) out = `${showName ? `${name}:` : ''}${count}\n`;
    else if (f.has('l')) out = count ? `${name}\n` : '';
    else if (f.has('L')) out = count ? '' : `${name}\n`;
    ctx.stdout.write(out);
  }
  if (status === 2 && !matched) return 2;
  return matched ? 0 : 1;
}

/** `grep -r`: every regular file below the operands, in directory order. */
function expandTree(ctx: AppletContext, roots: string[]): string[] {
  const fs = ctx.container.fs;
  const out: string[] = [];
  const walk = (shown: string, depth: number) => {
    const p = resolvePath(ctx.cwd, shown);
    let st;
    try {
      st = depth === 0 ? fs.stat(p) : fs.lstat(p);
    } catch (e) {
      if (!(e instanceof SimFsError)) throw e;
      out.push(shown);
      return;
    }
    if (st.type === 'dir') for (const n of fs.readdir(p)) walk(shown.endsWith('/') ? `${shown}${n}` : `${shown}/${n}`, depth + 1);
    else if (st.type === 'file') out.push(shown);
  };
  for (const r of roots) walk(r, 0);
  return out;
}
