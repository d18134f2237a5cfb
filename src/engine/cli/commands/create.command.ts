import { EngineError } from '../../errors.js';
import { str } from '../flags.js';
import type { Command } from '../command.js';
import { CONTAINER_FLAGS, createOptions, unsupportedOption, volumeRequests } from '../container-options.js';
import { isNoSuchImage, pullMissing, runDaemonError } from '../run-errors.js';

export const createCommand: Command = {
  path: 'create',
  limit: 'container',
  aliases: ['container create'],
  args: { kind: 'min', n: 1 },
  interspersed: false,
  flags: CONTAINER_FLAGS,
  async run(ctx, parsed) {
    const unsupported = unsupportedOption(parsed);
    if (unsupported) {
      ctx.err(`layerlab: ${unsupported} is not supported yet\n`);
      return 125;
    }
    const volumes = volumeRequests(ctx, parsed);
    if (typeof volumes === 'number') return volumes;
    const ref = parsed.args[0]!;
    let image;
    try {
      image = ctx.images.resolve(ref);
    } catch (err) {
      if (!isNoSuchImage(err)) throw err;
      const pulled = await pullMissing(ctx, ref, str(parsed, 'pull'));
      if (typeof pulled === 'number') return pulled;
      image = pulled;
    }
    try {
      const container = await ctx.containers.create(createOptions(ctx, parsed, ref, image, volumes));
      ctx.out(`${container.id}\n`);
      return 0;
    } catch (err) {
      if (err instanceof EngineError) return runDaemonError(ctx, err);
      throw err;
    }
  },
};
