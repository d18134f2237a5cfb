import type { AppletContext } from '../process/context.js';
import { basename as base, dirname as dir } from './util.js';

export async function pwd(ctx: AppletContext): Promise<number> {
  ctx.stdout.write(`${ctx.cwd}\n`);
  return 0;
}

/** basename PATH [SUFFIX] */
export async function basename(ctx: AppletContext): Promise<number> {
  const [p, suffix] = ctx.argv.slice(1);
  if (p === undefined) {
    ctx.stderr.write('basename: missing operand\n');
    return 1;
  }
  let b = base(p);
  if (suffix && b !== suffix && b.endsWith(suffix)) b = b.slice(0, -suffix.length);
  ctx.stdout.write(`${b}\n`);
  return 0;
}

export async function dirname(ctx: AppletContext): Promise<number> {
  const p = ctx.argv[1];
  if (p === undefined) {
    ctx.stderr.write('dirname: missing operand\n');
    return 1;
  }
  ctx.stdout.write(`${dir(p)}\n`);
  return 0;
}
