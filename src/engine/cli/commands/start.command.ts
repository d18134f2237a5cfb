import { daemonError } from '../render-error.js';
import { ContainerStartFailed } from '../../containers/container-errors.js';
import { EngineError } from '../../errors.js';
import { bool } from '../flags.js';
import type { Command } from '../command.js';
import { waitForeground } from '../sig-proxy.js';

export const startCommand: Command = {
  path: 'start',
  aliases: ['container start'],
  args: { kind: 'min', n: 1 },
  flags: [
    { long: 'attach', short: 'a', type: 'bool' },
    { long: 'interactive', short: 'i', type: 'bool' },
  ],
  async run(ctx, parsed) {
    const attach = bool(parsed, 'attach') || bool(parsed, 'interactive');
    if (attach && parsed.args.length > 1) {
      ctx.err('you cannot start and attach multiple containers at once\n');
      return 1;
    }
    const failed: string[] = [];
    for (const ref of parsed.args) {
      try {
        const c = ctx.containers.get(ref);
        if (attach) {
          const sink = { stdout: ctx.out, stderr: ctx.err };
          await ctx.containers.start(c, { sink, stdin: bool(parsed, 'interactive') ? ctx.opts.stdin : undefined });
          return await waitForeground(ctx, ctx.containers.wait(c), {
            forward: () => ctx.containers.kill(c, ref, 'SIGINT'),
            detach: () => c.sinks.delete(sink),
          });
        }
        await ctx.containers.start(c);
        ctx.out(`${ref}\n`);
      } catch (err) {
        if (!(err instanceof EngineError)) throw err;
        daemonError(ctx, err);
        if (attach && err instanceof ContainerStartFailed) return err.exitCode;
        failed.push(ref);
      }
    }
    if (failed.length) {
      ctx.err(`Error: failed to start containers: ${failed.join(', ')}\n`);
      return 1;
    }
    return 0;
  },
};
