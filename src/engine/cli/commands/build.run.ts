import { build } from '../../builder/builder.js';
import { BuildError, RunStepFailed } from '../../builder/build-errors.js';
import type { BuildReporter } from '../../builder/build-reporter.js';
import { BuildkitProgress } from '../../builder/progress/buildkit-progress.js';
import { ClassicProgress } from '../../builder/progress/classic-progress.js';
import { InvalidReference } from '../../images/image-errors.js';
import { parseReference } from '../../images/reference.js';
import { bool, list, str, type ParsedArgs } from '../flags.js';
import type { CommandContext } from '../command.js';
import { EngineError } from '../../errors.js';
import type { ImageRecord } from '../../images/image-store.js';
import { pullImage } from '../../registry/pull-image.js';
import { RegistryClient } from '../../registry/registry-client.js';
import { isLocalRegistry, registryReference } from '../../registry/registry-reference.js';
import { BuildkitImageSource } from '../../registry/buildkit-source.js';
import { RegistryUnreachable } from '../../errors.js';
import { pullDeps, registryAccess } from '../registry-access.js';

/** A reporter that prints nothing (`-q`). */
const quiet: BuildReporter = {
  begin() {},
  stepStarted() {},
  containerStarted() {},
  output() {},
  status() {},
  stepCached() {},
  stepDone() {},
  stepFailed() {},
  finished() {},
  failed() {},
};

/** `docker build`'s work (build.command.ts holds its flags): the builder's run, its progress, its errors as Docker's CLI exits. */
export async function runBuild(ctx: CommandContext, parsed: ParsedArgs): Promise<number> {
  const env = ctx.opts.env ?? {};
  const classic = env.DOCKER_BUILDKIT === '0' || env.DOCKER_BUILDKIT === 'false';
  const tags = list(parsed, 'tag');
  for (const tag of tags) {
    try {
      parseReference(tag);
    } catch (err) {
      if (!(err instanceof InvalidReference)) throw err;
      ctx.err(
        `invalid argument "${tag}" for "-t, --tag" flag: ${err.message}\n\nUsage:  docker build [OPTIONS] PATH | URL | -\n\nRun 'docker build --help' for more information\n`,
      );
      return 125;
    }
  }
  const buildArgs: Record<string, string> = {};
  for (const a of list(parsed, 'build-arg')) {
    const eq = a.indexOf('=');
    // Docker: `--build-arg NAME` takes NAME's value from the CLI's environment.
    if (eq >= 0) buildArgs[a.slice(0, eq)] = a.slice(eq + 1);
    else if (env[a] !== undefined) buildArgs[a] = env[a]!;
  }
  const context = parsed.args[0]!;
  const file = str(parsed, 'file');
  const quietMode = bool(parsed, 'quiet');
  const sink = { out: ctx.out, err: ctx.err, now: () => ctx.drivers.clock.now() };
  const reporter = quietMode ? quiet : classic ? new ClassicProgress(sink) : new BuildkitProgress(sink, file ?? 'Dockerfile');
  const epoch = Number(env.SOURCE_DATE_EPOCH);
  try {
    const result = await build(
      {
        drivers: ctx.drivers,
        images: ctx.images,
        emit: ctx.emit,
        builds: ctx.builds,
        unpackBytes: ctx.limits.unpackBytes,
        resources: ctx.containers.resources,
        pull: (ref) => basePuller(ctx, ref),
        source: (ref) => baseSource(ctx, ref),
      },
      {
        context,
        ...(file !== undefined ? { dockerfile: joinPath(context, file) } : {}),
        tags,
        buildArgs,
        ...(str(parsed, 'target') !== undefined ? { target: str(parsed, 'target')! } : {}),
        noCache: bool(parsed, 'no-cache'),
        mode: classic ? 'classic' : 'buildkit',
        ...(Number.isInteger(epoch) && epoch >= 0 ? { sourceDateEpoch: epoch } : {}),
        ...(ctx.opts.signal ? { signal: ctx.opts.signal } : {}),
      },
      reporter,
    );
    if (quietMode) ctx.out(`${result.image.id}\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof BuildError)) throw err;
    ctx.fail(err);
    if (quietMode) quietError(ctx, err, classic);
    // Docker (classic): the CLI exits with the failed RUN's code; BuildKit exits 1.
    return classic && err instanceof RunStepFailed ? err.exitCode : 1;
  }
}

function quietError(ctx: CommandContext, err: BuildError, classic: boolean): void {
  ctx.err(classic ? `${err.message}\n` : `ERROR: failed to solve: ${err.message}\n`);
}

/** Docker's CLI takes `-f` relative to the current directory, which is the workspace root. */
function joinPath(_context: string, file: string): string {
  return file.replace(/^\.\//, '');
}

/** The classic builder's pull of a missing base (builder.ts `pullBase`): only a name on this backend's registry, as `run` pulls. */
function basePuller(ctx: CommandContext, ref: string): ((line: (text: string) => void) => Promise<ImageRecord>) | undefined {
  const target = referenceOrError(ref);
  if (target instanceof EngineError) return undefined;
  const access = registryAccess(ctx, target, 'pull');
  if (!(access instanceof RegistryClient)) return undefined;
  return async (line) => (await pullImage(pullDeps(ctx), access, target, line)).image;
}

/**
 * BuildKit's image source for a FROM not in the store (builder.ts `loadMetadata`): the
 * registry's, for a name on this backend's registry; else the error BuildKit's resolver
 * meets, in its words — Docker Hub's refusal of an anonymous pull, a host that does not
 * resolve, a local registry nothing listens on.
 */
function baseSource(ctx: CommandContext, ref: string): BuildkitImageSource | EngineError {
  const target = referenceOrError(ref);
  if (target instanceof EngineError) return target;
  const access = registryAccess(ctx, target, 'pull');
  if (access instanceof RegistryClient) return new BuildkitImageSource(pullDeps(ctx), access, target);
  const full = `${target.host}/${target.path}:${target.tag}`;
  if (target.host === 'docker.io')
    return new RegistryUnreachable(
      `${full}: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`,
      { host: target.host },
    );
  if (isLocalRegistry(target.host))
    return new RegistryUnreachable(
      `failed to do request: Head "http://${target.host}/v2/${target.path}/manifests/${target.tag}": dial tcp 127.0.0.1:5000: connect: connection refused`,
      { host: target.host },
    );
  return new RegistryUnreachable(
    `failed to do request: Head "https://${target.host}/v2/${target.path}/manifests/${target.tag}": dial tcp: lookup ${target.host.replace(/:\d+$/, '')}: no such host`,
    { host: target.host },
  );
}

/** A FROM's name as a registry reference, or why it is none (in Docker's words). */
function referenceOrError(ref: string): ReturnType<typeof registryReference> | EngineError {
  try {
    return registryReference(ref);
  } catch (err) {
    if (err instanceof EngineError) return err;
    throw err;
  }
}
