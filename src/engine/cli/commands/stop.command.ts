import type { Command } from '../command.js';
import { eachContainer } from '../each-container.js';
import { stopFlags, stopOptions } from '../stop-options.js';

export const stopCommand: Command = {
  path: 'stop',
  aliases: ['container stop'],
  args: { kind: 'min', n: 1 },
  flags: stopFlags,
  run(ctx, parsed) {
    // Docker reports a bad --signal per container, as the daemon refuses each stop.
    return eachContainer(ctx, parsed.args, (c) => ctx.containers.stop(c, stopOptions(parsed)));
  },
};
