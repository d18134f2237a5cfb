import { EngineError } from '../../errors.js';
import { NoSuchImage } from '../../images/image-errors.js';
import { pushImage } from '../../registry/push-image.js';
import { registryReference } from '../../registry/registry-reference.js';
import { UnsupportedCommand } from '../command-line-errors.js';
import { bool, str } from '../flags.js';
import type { Command } from '../command.js';
import { registryAccess } from '../registry-access.js';
import { NoLocalImage } from '../../registry/registry-errors.js';

/** `docker push NAME[:TAG]` to the local registry, with Docker's progress lines (non-terminal output). */
export const pushCommand: Command = {
  path: 'push',
  aliases: ['image push'],
  args: { kind: 'exact', n: 1 },
  flags: [
    { long: 'all-tags', short: 'a', type: 'bool' },
    { long: 'disable-content-trust', type: 'bool' },
    { long: 'platform', type: 'string' },
    { long: 'quiet', short: 'q', type: 'bool' },
  ],
  async run(ctx, parsed) {
    if (bool(parsed, 'all-tags') || str(parsed, 'platform') !== undefined) {
      ctx.err(`layerlab: ${bool(parsed, 'all-tags') ? '--all-tags' : '--platform'} is not supported yet\n`);
      return 1;
    }
    const quiet = bool(parsed, 'quiet');
    const input = parsed.args[0]!;
    try {
      const ref = registryReference(input);
      const access = registryAccess(ctx, ref, 'push');
      if (access instanceof UnsupportedCommand) {
        ctx.fail(access);
        ctx.err(`layerlab: ${access.message}\n`);
        return 1;
      }
      const out = quiet ? () => undefined : ctx.out;
      if (!ref.tagged) out('Using default tag: latest\n');
      out(`The push refers to repository [${ref.host === 'docker.io' ? `docker.io/${ref.path}` : ref.name}]\n`);
      let image;
      try {
        image = ctx.images.resolve(ref.ref);
      } catch (err) {
        if (!(err instanceof NoSuchImage)) throw err;
        // moby: a name with no tag pushes every tag of the repository, and says so when there is none.
        throw ref.tagged
          ? new NoLocalImage(`tag does not exist: ${ref.ref}`, { ref: ref.ref })
          : new NoLocalImage(`An image does not exist locally with the tag: ${ref.name}`, { ref: ref.name });
      }
      if (access instanceof EngineError) throw access;
      await pushImage(
        {
          content: ctx.drivers.content,
          snapshotter: ctx.drivers.snapshotter,
          images: ctx.images,
          ...(ctx.drivers.layerSource ? { layerSource: ctx.drivers.layerSource } : {}),
        },
        access,
        ref,
        image,
        out,
      );
      if (quiet) ctx.out(`${ref.ref}\n`);
      return 0;
    } catch (err) {
      if (!(err instanceof EngineError)) throw err;
      // The daemon's error arrives in the push's progress stream: printed as it is, no prefix.
      ctx.fail(err);
      ctx.err(`${err.message}\n`);
      return 1;
    }
  },
};
