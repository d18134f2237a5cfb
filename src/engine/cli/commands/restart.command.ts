import { int } from '../flags.js';
import type { Command } from '../command.js';
import { eachContainer } from '../each-container.js';

export const restartCommand: Command = {
  path: 'restart',
  aliases: ['container restart'],
  args: { kind: 'min', n: 1 },
  flags: [
    { long: 'timeout', short: 't', type: 'int' },
    { long: 'time', type: 'int' },
    { long: 'signal', short: 's', type: 'string' },
  ],
  run(ctx, parsed) {
    const timeout = int(parsed, 'timeout') ?? int(parsed, 'time');
    return eachContainer(ctx, parsed.args, (c) => ctx.containers.restart(c, timeout));
  },
};
