import { bool } from '../flags.js';
import type { Command } from '../command.js';
import { eachContainer } from '../each-container.js';

export const rmCommand: Command = {
  path: 'rm',
  aliases: ['container rm', 'container remove'],
  args: { kind: 'min', n: 1 },
  flags: [
    { long: 'force', short: 'f', type: 'bool' },
    { long: 'volumes', short: 'v', type: 'bool' },
    { long: 'link', short: 'l', type: 'bool' },
  ],
  run(ctx, parsed) {
    const force = bool(parsed, 'force');
    const volumes = bool(parsed, 'volumes');
    return eachContainer(ctx, parsed.args, (c) => ctx.containers.remove(c, { force, volumes }), { ignoreMissing: force });
  },
};
