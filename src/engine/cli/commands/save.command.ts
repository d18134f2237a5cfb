import { daemonError } from '../render-error.js';
import { EngineError } from '../../errors.js';
import { str } from '../flags.js';
import type { Command } from '../command.js';

/**
 * `docker save [-o FILE] IMAGE…`: the images as Docker 25+ writes them (an OCI image
 * layout plus `manifest.json` and `repositories`) into a workspace file.
 */
export const saveCommand: Command = {
  path: 'save',
  aliases: ['image save'],
  args: { kind: 'min', n: 1 },
  flags: [
    { long: 'output', short: 'o', type: 'string' },
    { long: 'platform', type: 'list' },
  ],
  async run(ctx, parsed) {
    const output = str(parsed, 'output');
    // Docker's CLI writes the tar to stdout only when it is redirected; a Layerlab
    // terminal is a terminal, so it says what Docker says there.
    if (output === undefined || output === '') {
      ctx.err('cowardly refusing to save to a terminal. Use the -o flag or redirect\n');
      return 1;
    }
    // The archive's writers come with the first save: not in a page's start (issue 15's start).
    const [{ archiveChunks }, { imageLayout, selectImages }] = await Promise.all([
      import('../../image-archive/archive-tar.js'),
      import('../../image-archive/save-images.js'),
    ]);
    try {
      const saved = selectImages(ctx.images, parsed.args);
      const entries = await imageLayout(
        { content: ctx.drivers.content, snapshotter: ctx.drivers.snapshotter, images: ctx.images, layerSource: ctx.drivers.layerSource },
        saved,
      );
      // Streamed: a layer passes from the store to the file a chunk at a time.
      await ctx.drivers.workspace.writeStream(output.replace(/^(\.\/)+/, ''), archiveChunks(entries));
      return 0;
    } catch (err) {
      if (!(err instanceof EngineError)) throw err;
      daemonError(ctx, err);
      return 1;
    }
  },
};
