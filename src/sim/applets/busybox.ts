import type { AppletContext } from '../process/context.js';
import { runApplet } from './run-applet.js';
import { APPLETS } from './registry.js';
import { BANNER } from './util.js';

/** `busybox APPLET ARGS…` runs an applet; `busybox` or `--list` shows which exist. */
export async function busybox(ctx: AppletContext): Promise<number> {
  const [name, ...rest] = ctx.argv.slice(1);
  const names = Object.keys(APPLETS).sort();
  if (name === '--list') {
    ctx.stdout.write(names.map((n) => n + '\n').join(''));
    return 0;
  }
  if (name === undefined || name === '--help') {
    ctx.stdout.write(
      `${BANNER}\n\nUsage: busybox [function [arguments]...]\n   or: function [arguments]...\n\nCurrently defined functions:\n\t${names.join(', ')}\n`,
    );
    return name === undefined ? 0 : 0;
  }
  if (!APPLETS[name]) {
    ctx.stderr.write(`${name}: applet not found\n`);
    return 127;
  }
  return runApplet(name, { ...ctx, argv: [name, ...rest] });
}
