import type { AppletContext } from '../process/context.js';
import { userName } from './util.js';

/** busybox ps (Debian's busybox-static build, no TIME column): PID, USER, COMMAND. */
export async function ps(ctx: AppletContext): Promise<number> {
  let out = 'PID   USER     COMMAND\n';
  for (const p of ctx.container.processes.list()) {
    out += `${String(p.pid).padStart(5)} ${userName(ctx, p.uid).slice(0, 8).padEnd(8)} ${p.argv.join(' ')}\n`;
  }
  ctx.stdout.write(out);
  return 0;
}
