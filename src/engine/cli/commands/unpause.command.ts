import type { Command } from '../command.js';
import { eachContainer } from '../each-container.js';

export const unpauseCommand: Command = {
  path: 'unpause',
  aliases: ['container unpause'],
  args: { kind: 'min', n: 1 },
  flags: [],
  run: (ctx, parsed) => eachContainer(ctx, parsed.args, (c) => ctx.containers.unpause(c)),
};
