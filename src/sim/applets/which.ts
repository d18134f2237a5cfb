import type { AppletContext } from '../process/context.js';
import { lookupCommand } from '../process/exec.js';

/** which NAME…: the first executable on PATH; status 1 when any is missing. */
export async function which(ctx: AppletContext): Promise<number> {
  const names = ctx.argv.slice(1).filter((a) => a !== '-a');
  if (!names.length) {
    ctx.stderr.write('which: missing operand\n');
    return 1;
  }
  let status = 0;
  let out = '';
  for (const n of names) {
    const r = lookupCommand(ctx.container.fs, n, ctx.env.get('PATH'), ctx.cwd);
    if (r.kind === 'file') out += `${n.includes('/') ? n : r.path}\n`;
    else status = 1;
  }
  ctx.stdout.write(out);
  return status;
}
