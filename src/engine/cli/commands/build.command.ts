import type { Command } from '../command.js';

/**
 * `docker build [OPTIONS] PATH`: BuildKit by default (its plain progress on stderr, as
 * `--progress=plain` and a non-tty give), the classic builder with DOCKER_BUILDKIT=0.
 * What it does is `build.run.ts`, with the builder, imported on the first build: a page whose
 * learner never builds never fetches them, and the embed's start chunk holds neither (issue 15's start).
 */
export const buildCommand: Command = {
  path: 'build',
  limit: 'build',
  aliases: ['image build', 'builder build', 'buildx build'],
  args: { kind: 'exact', n: 1 },
  flags: [
    { long: 'tag', short: 't', type: 'list' },
    { long: 'file', short: 'f', type: 'string' },
    { long: 'build-arg', type: 'list' },
    { long: 'target', type: 'string' },
    { long: 'no-cache', type: 'bool' },
    { long: 'quiet', short: 'q', type: 'bool' },
    { long: 'progress', type: 'string' },
    { long: 'network', type: 'string' },
    { long: 'rm', type: 'bool' },
    { long: 'force-rm', type: 'bool' },
    { long: 'pull', type: 'bool' },
  ],
  async run(ctx, parsed) {
    const { runBuild } = await import('./build.run.js');
    return runBuild(ctx, parsed);
  },
};
