import { ContainerStateError } from '../../containers/container-errors.js';
import { str } from '../flags.js';
import type { Command } from '../command.js';
import { eachContainer } from '../each-container.js';
import { parseSignal } from '../signals.js';

export const killCommand: Command = {
  path: 'kill',
  aliases: ['container kill'],
  args: { kind: 'min', n: 1 },
  flags: [{ long: 'signal', short: 's', type: 'string' }],
  run(ctx, parsed) {
    const raw = str(parsed, 'signal') ?? 'KILL';
    const signal = parseSignal(raw);
    return eachContainer(ctx, parsed.args, async (c, ref) => {
      if (!signal) throw new ContainerStateError('INVALID_SIGNAL', `Invalid signal: ${raw}`);
      await ctx.containers.kill(c, ref, signal);
    });
  },
};
