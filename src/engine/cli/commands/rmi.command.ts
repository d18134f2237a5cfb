import { daemonError } from '../render-error.js';
import { EngineError } from '../../errors.js';
import { removeImage } from '../../images/remove-image.js';
import { bool } from '../flags.js';
import type { Command } from '../command.js';

export const rmiCommand: Command = {
  path: 'rmi',
  aliases: ['image rm', 'image remove'],
  args: { kind: 'min', n: 1 },
  flags: [
    { long: 'force', short: 'f', type: 'bool' },
    { long: 'no-prune', type: 'bool' },
  ],
  async run(ctx, parsed) {
    let failed = false;
    for (const ref of parsed.args) {
      try {
        const lines = await removeImage({ images: ctx.images, containers: ctx.containers, emit: ctx.emit }, ref, bool(parsed, 'force'));
        for (const l of lines) ctx.out(`${l}\n`);
      } catch (err) {
        if (!(err instanceof EngineError)) throw err;
        daemonError(ctx, err);
        failed = true;
      }
    }
    return failed ? 1 : 0;
  },
};
