import { EngineError } from '../../errors.js';
import type { Command } from '../command.js';

/**
 * `docker wait`: for each container, its exit code once it is not running (a created
 * or exited one answers at once: the daemon's default condition is "not-running").
 * Docker's CLI prints the codes as they come and the errors together at the end.
 */
export const waitCommand: Command = {
  path: 'wait',
  aliases: ['container wait'],
  args: { kind: 'min', n: 1 },
  flags: [],
  async run(ctx, parsed) {
    const errors: string[] = [];
    for (const ref of parsed.args) {
      try {
        const code = await ctx.containers.wait(ctx.containers.get(ref));
        ctx.out(`${code}\n`);
      } catch (err) {
        if (!(err instanceof EngineError)) throw err;
        ctx.fail(err);
        errors.push(`Error response from daemon: ${err.message}`);
      }
    }
    if (!errors.length) return 0;
    ctx.err(`${errors.join('\n')}\n`);
    return 1;
  },
};
