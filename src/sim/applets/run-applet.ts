import type { AppletContext } from '../process/context.js';
import { statusOfError } from '../process/exit-status.js';
import { APPLETS } from './registry.js';

/** Runs an applet; a kill or a broken pipe becomes the exit status Linux would report. */
export async function runApplet(name: string, ctx: AppletContext): Promise<number> {
  const applet = APPLETS[name];
  if (!applet) {
    ctx.stderr.write(`${name}: applet not found\n`);
    return 127;
  }
  try {
    return await applet(ctx);
  } catch (e) {
    return statusOfError(e, ctx);
  }
}
