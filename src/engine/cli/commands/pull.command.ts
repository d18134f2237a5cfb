import { EngineError } from '../../errors.js';
import { pullImage } from '../../registry/pull-image.js';
import { registryReference } from '../../registry/registry-reference.js';
import { UnsupportedCommand } from '../command-line-errors.js';
import { bool, str } from '../flags.js';
import type { Command } from '../command.js';
import { daemonError } from '../render-error.js';
import { pullDeps, registryAccess } from '../registry-access.js';

/** `docker pull NAME[:TAG]` from the local registry, with Docker's progress lines (non-terminal output) and the reference last. */
export const pullCommand: Command = {
  path: 'pull',
  aliases: ['image pull'],
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
    try {
      const ref = registryReference(parsed.args[0]!);
      const access = registryAccess(ctx, ref, 'pull');
      if (access instanceof UnsupportedCommand) {
        ctx.fail(access);
        ctx.err(`layerlab: ${access.message}\n`);
        return 1;
      }
      const out = quiet ? () => undefined : ctx.out;
      if (!ref.tagged) out('Using default tag: latest\n');
      if (access instanceof EngineError) throw access;
      await pullImage(pullDeps(ctx), access, ref, out);
      ctx.out(`${ref.host === 'docker.io' ? `docker.io/${ref.path}:${ref.tag}` : ref.ref}\n`);
      return 0;
    } catch (err) {
      if (!(err instanceof EngineError)) throw err;
      daemonError(ctx, err);
      return 1;
    }
  },
};
