import { daemonError } from '../render-error.js';
import { EngineError } from '../../errors.js';
import { commitContainer } from '../../images/commit-container.js';
import { formatReference, parseReference } from '../../images/reference.js';
import { list, str } from '../flags.js';
import type { Command } from '../command.js';

export const commitCommand: Command = {
  path: 'commit',
  aliases: ['container commit'],
  args: { kind: 'range', min: 1, max: 2 },
  flags: [
    { long: 'message', short: 'm', type: 'string' },
    { long: 'author', short: 'a', type: 'string' },
    { long: 'change', short: 'c', type: 'list' },
    { long: 'pause', short: 'p', type: 'bool' },
  ],
  async run(ctx, parsed) {
    const [ref, target] = parsed.args as [string, string | undefined];
    try {
      const tag = target === undefined ? undefined : formatReference(parseReference(target));
      const c = ctx.containers.get(ref);
      const now = ctx.drivers.clock.now();
      const image = await commitContainer(
        { images: ctx.images, content: ctx.drivers.content, snapshotter: ctx.drivers.snapshotter, emit: ctx.emit },
        c,
        { message: str(parsed, 'message'), author: str(parsed, 'author'), changes: list(parsed, 'change'), now },
      );
      if (tag) {
        ctx.images.tag(image, tag, now);
        ctx.emit({ type: 'image.tagged', id: image.id, tag });
      }
      ctx.out(`${image.id}\n`);
      return 0;
    } catch (err) {
      if (!(err instanceof EngineError)) throw err;
      daemonError(ctx, err);
      return 1;
    }
  },
};
