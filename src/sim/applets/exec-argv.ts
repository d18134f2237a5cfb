import type { AppletContext } from '../process/context.js';
import { lookupCommand, runCommand } from '../process/exec.js';
import { runApplet } from './run-applet.js';
import { APPLETS } from './registry.js';

/** execvp() from an applet (env, xargs): runs `argv` in the caller's process. */
export async function runArgv(ctx: AppletContext, argv: string[], caller: string): Promise<number> {
  const name = argv[0]!;
  if (!name.includes('/') && APPLETS[name]) return runApplet(name, { ...ctx, argv });
  const found = lookupCommand(ctx.container.fs, name, ctx.env.get('PATH'), ctx.cwd);
  if (found.kind !== 'file') {
    ctx.stderr.write(`${caller}: can't execute '${name}': ${found.kind === 'denied' ? 'Permission denied' : 'No such file or directory'}\n`);
    return found.kind === 'denied' ? 126 : 127;
  }
  return runCommand({ ...ctx, argv }, found, true);
}
