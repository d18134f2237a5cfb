import { SimFsError, type SimStat } from '../sim-fs.js';
import type { AppletContext } from '../process/context.js';
import { resolvePath } from './util.js';

class TestError extends Error {}

/** test / [: POSIX expressions with -a, -o, !, parentheses; status 2 on a bad expression. */
export async function test(ctx: AppletContext): Promise<number> {
  let args = ctx.argv.slice(1);
  const name = ctx.argv[0]?.endsWith('[') ? '[' : 'test';
  if (name === '[') {
    if (args[args.length - 1] !== ']') {
      ctx.stderr.write('sh: [: missing ]\n');
      return 2;
    }
    args = args.slice(0, -1);
  }
  try {
    return evaluate(ctx, args) ? 0 : 1;
  } catch (e) {
    if (!(e instanceof TestError)) throw e;
    ctx.stderr.write(`sh: ${name}: ${e.message}\n`);
    return 2;
  }
}

function evaluate(ctx: AppletContext, args: string[]): boolean {
  let i = 0;
  const stat = (p: string, follow = true): SimStat | undefined => {
    try {
      const path = resolvePath(ctx.cwd, p);
      return follow ? ctx.container.fs.stat(path) : ctx.container.fs.lstat(path);
    } catch (e) {
      if (e instanceof SimFsError) return undefined;
      throw e;
    }
  };
  const int = (s: string) => {
    if (!/^\s*[-+]?[0-9]+\s*$/.test(s)) throw new TestError(`${s}: bad number`);
    return Number(s);
  };
  const unary: Record<string, (a: string) => boolean> = {
    '-e': (a) => !!stat(a),
    '-f': (a) => stat(a)?.type === 'file',
    '-d': (a) => stat(a)?.type === 'dir',
    '-h': (a) => stat(a, false)?.type === 'symlink',
    '-L': (a) => stat(a, false)?.type === 'symlink',
    '-c': (a) => stat(a)?.type === 'chardev',
    '-s': (a) => (stat(a)?.size ?? 0) > 0,
    '-r': (a) => !!stat(a) && (ctx.uid === 0 || !!(stat(a)!.mode & 0o444)),
    '-w': (a) => !!stat(a) && (ctx.uid === 0 || !!(stat(a)!.mode & 0o222)),
    '-x': (a) => !!stat(a) && !!(stat(a)!.mode & 0o111),
    '-z': (a) => a.length === 0,
    '-n': (a) => a.length > 0,
  };
  const binary: Record<string, (a: string, b: string) => boolean> = {
    '=': (a, b) => a === b,
    '==': (a, b) => a === b,
    '!=': (a, b) => a !== b,
    '<': (a, b) => a < b,
    '>': (a, b) => a > b,
    '-eq': (a, b) => int(a) === int(b),
    '-ne': (a, b) => int(a) !== int(b),
    '-lt': (a, b) => int(a) < int(b),
    '-le': (a, b) => int(a) <= int(b),
    '-gt': (a, b) => int(a) > int(b),
    '-ge': (a, b) => int(a) >= int(b),
  };
  const primary = (): boolean => {
    const a = args[i];
    if (a === undefined) throw new TestError('argument expected');
    if (a === '!') {
      i++;
      return !primary();
    }
    if (a === '(') {
      i++;
      const v = or();
      if (args[i] !== ')') throw new TestError('closing paren expected');
      i++;
      return v;
    }
    const op = args[i + 1];
    if (op !== undefined && binary[op] && args[i + 2] !== undefined) {
      i += 3;
      return binary[op](a, args[i - 1]!);
    }
    if (unary[a] && args[i + 1] !== undefined) {
      i += 2;
      return unary[a](args[i - 1]!);
    }
    i++;
    return a.length > 0;
  };
  const and = (): boolean => {
    let v = primary();
    while (args[i] === '-a') {
      i++;
      v = primary() && v;
    }
    return v;
  };
  const or = (): boolean => {
    let v = and();
    while (args[i] === '-o') {
      i++;
      v = and() || v;
    }
    return v;
  };
  if (args.length === 0) return false;
  const v = or();
  if (i < args.length) throw new TestError(`${args[i]}: unknown operand`);
  return v;
}
