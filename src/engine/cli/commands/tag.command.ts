import { daemonError } from '../render-error.js';
import { EngineError } from '../../errors.js';
import { formatReference, parseReference } from '../../images/reference.js';
import type { Command } from '../command.js';

export const tagCommand: Command = {
  path: 'tag',
  aliases: ['image tag'],
  args: { kind: 'exact', n: 2 },
  flags: [],
  async run(ctx, parsed) {
    const [source, target] = parsed.args as [string, string];
    try {
      const image = ctx.images.resolve(source);
      let ref: string;
      try {
        ref = formatReference(parseReference(target));
      } catch (err) {
        if (!(err instanceof EngineError)) throw err;
        // Docker: the CLI validates the target before asking the daemon.
        ctx.err(`Error parsing reference: "${target}" is not a valid repository/tag: ${err.message}\n`);
        return 1;
      }
      ctx.images.tag(image, ref, ctx.drivers.clock.now());
      ctx.emit({ type: 'image.tagged', id: image.id, tag: ref });
      return 0;
    } catch (err) {
      if (!(err instanceof EngineError)) throw err;
      daemonError(ctx, err);
      return 1;
    }
  },
};
