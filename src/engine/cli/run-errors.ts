import { EngineError } from '../errors.js';
import { NoSuchImage } from '../images/image-errors.js';
import { formatReference, parseReference } from '../images/reference.js';
import type { CommandContext } from './command.js';
import type { ImageRecord } from '../images/image-store.js';
import { pullImage } from '../registry/pull-image.js';
import { RegistryClient } from '../registry/registry-client.js';
import { registryReference } from '../registry/registry-reference.js';
import { pullDeps, registryAccess } from './registry-access.js';

/** `docker run`/`create` print daemon errors as `docker: …` plus a hint, exit 125. */
export function runError(ctx: CommandContext, message: string, code = 125): number {
  ctx.err(`docker: ${message}\n\nRun 'docker ${ctx.invokedAs} --help' for more information\n`);
  return code;
}

/** A typed daemon error of `run`/`create`: Docker's words, and its code on the result. */
export function runDaemonError(ctx: CommandContext, err: EngineError, code = 125): number {
  ctx.fail(err);
  return runError(ctx, `Error response from daemon: ${err.message}`, code);
}

/** What `run`/`create` say when the image is not local: Layerlab has no registry, so
 * the pull Docker would try next fails as it does for a repository that is not there. */
export function imageNotFound(ctx: CommandContext, ref: string, pull = 'missing'): number {
  let name = ref;
  let full = ref;
  try {
    const parsed = parseReference(ref);
    name = parsed.name;
    full = formatReference(parsed);
  } catch (err) {
    if (!(err instanceof EngineError)) throw err;
    ctx.fail(err);
    return runError(ctx, err.message);
  }
  ctx.fail(new NoSuchImage(`No such image: ${full}`, { reference: full }));
  // Docker: `--pull never` fails on the missing image without trying a registry.
  if (pull === 'never') return runError(ctx, `Error response from daemon: No such image: ${full}`);
  ctx.err(`Unable to find image '${full}' locally\n`);
  return runError(
    ctx,
    `Error response from daemon: pull access denied for ${name}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied`,
  );
}

/**
 * `run`/`create` of an image that is not here: Docker pulls it first (`Unable to find image
 * … locally`, then the pull's progress on stderr) when the name is on the local registry and
 * the backend has one; otherwise the refusal above. Returns the image, or the exit code.
 */
export async function pullMissing(ctx: CommandContext, ref: string, pull = 'missing'): Promise<ImageRecord | number> {
  let target;
  try {
    target = registryReference(ref);
  } catch (err) {
    if (!(err instanceof EngineError)) throw err;
    return imageNotFound(ctx, ref, pull);
  }
  const access = pull === 'never' ? undefined : registryAccess(ctx, target, 'pull');
  if (!(access instanceof RegistryClient)) return imageNotFound(ctx, ref, pull);
  ctx.err(`Unable to find image '${target.ref}' locally\n`);
  try {
    return (await pullImage(pullDeps(ctx), access, target, ctx.err)).image;
  } catch (err) {
    if (!(err instanceof EngineError)) throw err;
    return runDaemonError(ctx, err);
  }
}

export function isNoSuchImage(err: unknown): err is NoSuchImage {
  return err instanceof NoSuchImage;
}
