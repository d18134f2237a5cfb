import { createEngine, type BaseImage, type EngineOptions } from '../engine/create-engine.js';
import { MemoryVolumeStore } from './memory-volume-store.js';
import { UnionFs } from './union-fs.js';
import { systemClock, type Clock } from '../engine/drivers/clock.js';
import type { Workspace } from '../engine/drivers/workspace.js';
import type { LayerSource } from '../engine/drivers/layer-source.js';
import type { Drivers, Engine, HostInfo } from '../engine/engine.js';
import { busyboxImage } from '../engine/base-image/busybox.js';
import { simBusyboxLayer } from './base-image/index.js';
import { MemoryContentStore } from './memory-content-store.js';
import { MemorySnapshotter } from './memory-snapshotter.js';
import { MemoryWorkspace } from './memory-workspace.js';
import { SimRuntime } from './sim-runtime.js';
import { SimRegistryTransport } from './registry/sim-registry-transport.js';
import { simSeeds } from './registry/seeded-registry.js';
import type { RegistryTransport } from '../engine/drivers/registry.js';

export interface SimEngineOptions {
  workspace?: Workspace;
  clock?: Clock;
  host?: HostInfo;
  /** [0, 1) source for IDs and names; tests pass a seeded one. */
  random?: () => number;
  commands?: EngineOptions['commands'];
  limits?: EngineOptions['limits'];
  onFailure?: EngineOptions['onFailure'];
  /** Where the busybox base layer's bytes come from when `docker save` needs them (the site's asset, in a browser). */
  layerSource?: LayerSource;
  /** The registry at `localhost:5000` (default: a fresh memory registry of this engine's own,
   * with the seeded `localhost:5000/busybox` beneath it when `layerSource` gives its layer;
   * tests pass one to share it between engines). */
  registry?: RegistryTransport;
  /** Replaces drivers with wrappers of them (a test's failing runtime or snapshotter). */
  decorate?: (drivers: Drivers) => Drivers;
}

/** What the simulator reports as its host (`docker info`, `uname -a`). */
export const SIM_HOST: HostInfo = {
  kernelVersion: '6.1.0-layerlab',
  operatingSystem: 'Layerlab simulator',
  architecture: 'x86_64',
  hostname: 'layerlab',
  cpus: 2,
  memoryBytes: 2 * 1024 ** 3,
  // A simulator has no network and no resolver: an empty host file, so containers get
  // Docker's fallback nameservers rather than anything of the learner's machine.
  resolvConf: { path: '/etc/resolv.conf', content: '' },
};

/** `busybox:latest` on the simulator: the one image definition on the recorded layer. */
export function simBusyboxImage(): BaseImage {
  return busyboxImage(simBusyboxLayer());
}

/** The whole simulator: memory content store and snapshotter, the simulated runtime,
 * busybox:latest loaded. */
export async function createSimEngine(opts: SimEngineOptions = {}): Promise<Engine> {
  const clock = opts.clock ?? systemClock;
  const host = opts.host ?? SIM_HOST;
  const snapshotter = new MemorySnapshotter({ now: () => clock.now() });
  const volumes = new MemoryVolumeStore(() => clock.now());
  const runtime = new SimRuntime({
    openRootfs: (mounts, init) => snapshotter.fs(mounts, init),
    openVolume: (source) => {
      const layer = volumes.layer(source);
      return layer ? new UnionFs(layer, [], () => clock.now()) : undefined;
    },
    clock,
    host,
  });
  const drivers: Drivers = {
    backend: 'sim',
    content: new MemoryContentStore(),
    snapshotter,
    volumes,
    runtime,
    workspace: opts.workspace ?? new MemoryWorkspace(),
    clock,
    host,
    registry: opts.registry ?? new SimRegistryTransport(undefined, opts.layerSource ? simSeeds(opts.layerSource, simBusyboxImage) : undefined),
    ...(opts.layerSource ? { layerSource: opts.layerSource } : {}),
  };
  return createEngine(opts.decorate ? opts.decorate(drivers) : drivers, {
    // Made when the engine first needs it (create-engine.ts): busybox's 270 applets are not a page's start's work.
    baseImages: () => [simBusyboxImage()],
    random: opts.random,
    commands: opts.commands,
    limits: opts.limits,
    ...(opts.onFailure ? { onFailure: opts.onFailure } : {}),
  });
}
