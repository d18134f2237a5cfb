import type { Command } from '../command.js';
import { eachContainer } from '../each-container.js';
import { stopFlags, stopOptions } from '../stop-options.js';

export const restartCommand: Command = {
  path: 'restart',
  aliases: ['container restart'],
  args: { kind: 'min', n: 1 },
  flags: stopFlags,
  run(ctx, parsed) {
    return eachContainer(ctx, parsed.args, (c) => ctx.containers.restart(c, stopOptions(parsed)));
  },
};
