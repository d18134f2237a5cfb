import type { Command } from '../command.js';
import { eachContainer } from '../each-container.js';

export const pauseCommand: Command = {
  path: 'pause',
  aliases: ['container pause'],
  args: { kind: 'min', n: 1 },
  flags: [],
  run: (ctx, parsed) => eachContainer(ctx, parsed.args, (c) => ctx.containers.pause(c)),
};
