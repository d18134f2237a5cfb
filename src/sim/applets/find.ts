import { SimFsError, type SimStat } from '../sim-fs.js';
import { matchPattern } from '../shell/pattern.js';
import type { AppletContext } from '../process/context.js';
import { resolvePath } from './util.js';

type Test = (path: string, name: string, st: SimStat) => boolean;

/** find [PATH…] [-maxdepth N] [-mindepth N] [-name PAT] [-iname PAT] [-type fdl] [-print]. */
export async function find(ctx: AppletContext): Promise<number> {
  const args = ctx.argv.slice(1);
  const roots: string[] = [];
  while (args.length && !args[0]!.startsWith('-') && args[0] !== '!' && args[0] !== '(') roots.push(args.shift()!);
  if (!roots.length) roots.push('.');
  const tests: Test[] = [];
  let maxdepth = Infinity;
  let mindepth = 0;
  let negate = false;
  while (args.length) {
    const a = args.shift()!;
    const add = (t: Test) => {
      const neg = negate;
      tests.push(neg ? (p, n, s) => !t(p, n, s) : t);
      negate = false;
    };
    switch (a) {
      case '!':
      case '-not':
        negate = true;
        break;
      case '-maxdepth':
        maxdepth = Number(args.shift());
        break;
      case '-mindepth':
        mindepth = Number(args.shift());
        break;
      case '-name': {
        const pat = args.shift() ?? '';
        add((_p, n) => matchPattern(pat, n));
        break;
      }
      case '-iname': {
        const pat = (args.shift() ?? '').toLowerCase();
        add((_p, n) => matchPattern(pat, n.toLowerCase()));
        break;
      }
      case '-type': {
        const t = args.shift();
        const kind = t === 'f' ? 'file' : t === 'd' ? 'dir' : t === 'l' ? 'symlink' : t === 'c' ? 'chardev' : undefined;
        if (!kind) {
          ctx.stderr.write(`find: unrecognized: -type ${t ?? ''}\n`);
          return 1;
        }
        add((_p, _n, st) => st.type === kind);
        break;
      }
      case '-print':
      case '-a':
      case '-and':
        break;
      default:
        ctx.stderr.write(`find: unrecognized: ${a}\n`);
        return 1;
    }
  }
  const fs = ctx.container.fs;
  let status = 0;
  let out = '';
  const walk = (shown: string, name: string, depth: number) => {
    const p = resolvePath(ctx.cwd, shown);
    let st: SimStat;
    try {
      st = fs.lstat(p);
    } catch (e) {
      if (!(e instanceof SimFsError)) throw e;
      ctx.stderr.write(`find: ${shown}: ${e.text}\n`);
      status = 1;
      return;
    }
    if (depth >= mindepth && tests.every((t) => t(p, name, st))) out += shown + '\n';
    if (st.type === 'dir' && depth < maxdepth) {
      for (const n of fs.readdir(p)) walk(shown.endsWith('/') ? shown + n : `${shown}/${n}`, n, depth + 1);
    }
  };
  for (const r of roots) walk(r, r.replace(/\/+$/, '').split('/').pop() || r, 0);
  ctx.stdout.write(out);
  return status;
}
