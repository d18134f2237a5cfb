import { EngineError, InvalidLayer, LayerBreakout } from '../../errors.js';
import type { ArchiveFiles } from '../../image-archive/archive-tar.js';
import { str } from '../flags.js';
import type { Command } from '../command.js';

/**
 * `docker load -i FILE [-q]`: a `docker save` tar (Docker 25+ or classic) from the
 * workspace, or — Layerlab's addition — an OCI image layout directory there.
 */
export const loadCommand: Command = {
  path: 'load',
  aliases: ['image load'],
  args: { kind: 'none' },
  flags: [
    { long: 'input', short: 'i', type: 'string' },
    // Docker's CLI asks for quiet output whenever stdout is not a terminal, which a
    // command's captured output is: `Loaded image:` lines are all it prints either way.
    { long: 'quiet', short: 'q', type: 'bool' },
    { long: 'platform', type: 'list' },
  ],
  async run(ctx, parsed) {
    const input = str(parsed, 'input');
    // Docker: with no -i and stdin a terminal, there is nothing to read.
    if (input === undefined || input === '') {
      ctx.err('requested load from stdin, but stdin is empty\n');
      return 1;
    }
    const path = input.replace(/^(\.\/)+/, '');
    const { workspace } = ctx.drivers;
    // The archive's readers come with the first load: not in a page's start (issue 15's start).
    const [{ indexArchive }, { loadImages }, { isOciLayoutDir, workspaceFiles }] = await Promise.all([
      import('../../image-archive/archive-tar.js'),
      import('../../image-archive/load-images.js'),
      import('../../image-archive/oci-layout-dir.js'),
    ]);
    let files: ArchiveFiles;
    // Opened, not read: the archive is indexed by its headers and each layer streamed from it.
    const archive = await workspace.open(path);
    if (archive) {
      try {
        files = await indexArchive(archive);
      } catch (err) {
        if (!(err instanceof EngineError)) throw err;
        // Docker: the daemon untars the upload first, in a child process.
        ctx.err(`Error processing tar file(exit status 1): ${err.message}\n`);
        return 1;
      }
    } else if (await isOciLayoutDir(workspace, path)) files = workspaceFiles(workspace, path);
    else {
      ctx.err(`open ${input}: no such file or directory\n`);
      return 1;
    }
    try {
      const arch = ctx.drivers.host.architecture;
      const loaded = await loadImages(
        {
          content: ctx.drivers.content,
          images: ctx.images,
          emit: ctx.emit,
          now: () => ctx.drivers.clock.now(),
          architecture: arch === 'x86_64' ? 'amd64' : arch === 'aarch64' ? 'arm64' : arch,
          unpackBytes: ctx.limits.unpackBytes,
        },
        files,
      );
      let ids = '';
      for (const { image, tags } of loaded) {
        ids += `Loaded image ID: ${image.id}\n`;
        for (const { ref, previous } of tags) {
          if (previous) ctx.out(`The image ${ref} already exists, renaming the old one with ID ${previous.id} to empty string\n`);
          ctx.out(`Loaded image: ${ref}\n`);
        }
      }
      // moby: the IDs are printed when the last image loaded had no tag.
      if ((loaded.at(-1)?.tags.length ?? 0) === 0) ctx.out(ids);
      return 0;
    } catch (err) {
      if (!(err instanceof EngineError)) throw err;
      // moby: a layer the daemon can not unpack fails its registration with these words.
      const layerError = err instanceof InvalidLayer || err instanceof LayerBreakout;
      ctx.fail(err);
      ctx.err(`${layerError ? 'failed to register layer: Error processing tar file(exit status 1): ' : ''}${err.message}\n`);
      return 1;
    }
  },
};
