import { readFile } from 'node:fs/promises';
import { FsWorkspace } from '../linux/fs-workspace.js';
import { busyboxImage, busyboxRootfs } from '../../src/engine/base-image/busybox.js';
import { createEngine, type BaseImage, type EngineOptions } from '../../src/engine/create-engine.js';
import type { Engine } from '../../src/engine/engine.js';
import type { Workspace } from '../../src/engine/drivers/workspace.js';
import { systemClock } from '../../src/engine/drivers/clock.js';
import { sha256 } from '../../src/engine/digest.js';
import { runCommand } from '../linux/command.js';
import { hostBusybox, openLinuxBackend, type LinuxBackend, type SessionBackendOptions } from '../linux/linux-backend.js';
import type { BaseImageLayer } from '../linux/base-image.js';
import type { EngineFactory } from './session.js';
import type { RegistryHost } from '../linux/registry-host.js';
import { engineLimits, resourcePolicy } from './session-limits.js';
import { DEFAULT_RESOURCE_POLICY } from '../../src/engine/containers/resource-limits.js';
import type { RegistryTransport } from '../../src/engine/drivers/registry.js';
import { seededImages, type SeedImage } from '../../src/engine/registry/seeded-images.js';

/**
 * busybox:latest as the engine sees it on Linux: the engine's one image definition (same
 * config and history as the simulator's, so the same image ID) on the layer setup built
 * from the host's busybox. The snapshot already exists (attached read-only), so the
 * engine only records its files.
 */
async function linuxBusyboxImage(base: BaseImageLayer, busybox: string): Promise<BaseImage> {
  const bytes = await readFile(busybox);
  const appletPaths = (await runCommand(busybox, ['--list-full'])).stdout.toString('utf8').split('\n').filter(Boolean).sort();
  const changes = busyboxRootfs({ appletPaths, binary: { type: 'external', size: bytes.byteLength, digest: sha256(bytes) } });
  return busyboxImage({ diffId: base.diffId, size: base.size, changes });
}

/** An engine's options, how fast its containers' output is read (output-pace.ts), and its registry (`docker push`/`pull`). */
export type LinuxEngineOptions = Pick<EngineOptions, 'limits' | 'onFailure' | 'resources'> & SessionBackendOptions & { registry?: RegistryTransport };

/** Engines on real containers, sharing one Linux backend (base image, runtime detection). */
export interface LinuxEngines {
  backend: LinuxBackend;
  /** The images the server's registry is seeded with (seeded-images.ts `seededImages`, on this backend's busybox). */
  seeds: SeedImage[];
  /** An engine whose content store, snapshotter and runtime live under `root`, its containers within `options.resources` (default: a lesson's). */
  open(root: string, workspace: Workspace, options?: LinuxEngineOptions): Promise<Engine>;
}

/**
 * The one way to make an engine on the Linux backend — for the server's sessions, the
 * `layerlab` command, tests and benchmarks. busybox:latest is shared read-only; work
 * done once per process (base image, runtime detection) happens here, not per engine.
 */
export async function openLinuxEngines(stateDir: string): Promise<LinuxEngines> {
  const backend = await openLinuxBackend(stateDir);
  const baseImage = await linuxBusyboxImage(backend.base, hostBusybox());
  return {
    backend,
    seeds: seededImages(baseImage, async () => new Uint8Array(await readFile(backend.base.blobPath))),
    async open(root, workspace, { outputBytesPerSecond, registry, ...options } = {}) {
      const resources = options.resources ?? DEFAULT_RESOURCE_POLICY;
      const { content, snapshotter, runtime, volumes } = await backend.openSession(root, resources.ceiling, { outputBytesPerSecond });
      try {
        return await createEngine(
          {
            backend: 'linux',
            content,
            snapshotter,
            runtime,
            volumes,
            workspace,
            clock: systemClock,
            host: backend.host,
            ...(registry ? { registry } : {}),
          },
          { ...options, resources, baseImages: [baseImage] },
        );
      } catch (error) {
        await runtime.dispose();
        throw error;
      }
    },
  };
}

/**
 * Sessions on real containers: each session's engine lives in its own state root (its
 * tmpfs), and its build context is the session's files dir. With the server's registry, each
 * session reaches it through a transport of its own, and its namespace goes when it ends.
 */
export async function linuxEngineFactory(
  stateDir: string,
  registry?: () => RegistryHost | undefined,
): Promise<{ factory: EngineFactory; backend: LinuxBackend; seeds: SeedImage[] }> {
  const engines = await openLinuxEngines(stateDir);
  const factory: EngineFactory = (session) => {
    const host = registry?.();
    if (host) session.afterClose?.(async () => void (await host.removeSession(session.id)));
    return engines.open(session.root.path, new FsWorkspace(session.root.filesDir), {
      limits: engineLimits(session.limits),
      onFailure: (error) => session.fail(error),
      resources: resourcePolicy(session.limits),
      outputBytesPerSecond: session.limits.outputBytesPerSecond,
      registry: host?.transport(
        session.id,
        { bytes: session.limits.registryBytes, repositories: session.limits.registryRepositories },
        session.workshop,
      ),
    });
  };
  return { factory, backend: engines.backend, seeds: engines.seeds };
}
