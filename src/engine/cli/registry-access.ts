import { RegistryUnreachable } from '../errors.js';
import { UnsupportedCommand } from './command-line-errors.js';
import type { CommandContext } from './command.js';
import { RegistryClient } from '../registry/registry-client.js';
import { isLocalRegistry, type RegistryReference } from '../registry/registry-reference.js';
import type { PullDeps } from '../registry/pull-image.js';

/**
 * The client for the registry a reference names, or why there is none: the backend has no
 * registry (push/pull stay refused as before issue 17), or the name is on a registry this
 * machine cannot reach — Docker Hub and any host but `localhost:5000` — in Docker's words
 * for a repository it cannot get (Hub) or a host it cannot resolve.
 */
export function registryAccess(
  ctx: CommandContext,
  ref: RegistryReference,
  verb: 'push' | 'pull',
): RegistryClient | RegistryUnreachable | UnsupportedCommand {
  const transport = ctx.drivers.registry;
  if (!transport) return new UnsupportedCommand(`'docker ${verb}' is not supported yet`, { command: verb });
  if (isLocalRegistry(ref.host)) return new RegistryClient(transport, ref.host);
  if (ref.host === 'docker.io') {
    const message =
      verb === 'pull'
        ? `pull access denied for ${ref.name}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied`
        : 'denied: requested access to the resource is denied';
    return new RegistryUnreachable(message, { host: ref.host });
  }
  const hostname = ref.host.replace(/:\d+$/, '');
  return new RegistryUnreachable(`Get "https://${ref.host}/v2/": dial tcp: lookup ${hostname}: no such host`, { host: ref.host });
}

/** What a pull needs of the command's context. */
export function pullDeps(ctx: CommandContext): PullDeps {
  const arch = ctx.drivers.host.architecture;
  return {
    content: ctx.drivers.content,
    images: ctx.images,
    emit: ctx.emit,
    now: () => ctx.drivers.clock.now(),
    architecture: arch === 'x86_64' ? 'amd64' : arch === 'aarch64' ? 'arm64' : arch,
    unpackBytes: ctx.limits.unpackBytes,
  };
}
