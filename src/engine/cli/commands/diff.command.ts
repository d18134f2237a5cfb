import { daemonError } from '../render-error.js';
import { EngineError } from '../../errors.js';
import type { Command } from '../command.js';

export const diffCommand: Command = {
  path: 'diff',
  aliases: ['container diff'],
  args: { kind: 'exact', n: 1 },
  flags: [],
  async run(ctx, parsed) {
    try {
      const c = ctx.containers.get(parsed.args[0]!);
      for (const change of await ctx.containers.diff(c)) ctx.out(`${change.kind} ${change.path}\n`);
      return 0;
    } catch (err) {
      if (!(err instanceof EngineError)) throw err;
      daemonError(ctx, err);
      return 1;
    }
  },
};
