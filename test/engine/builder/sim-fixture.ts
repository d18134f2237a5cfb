import type { Clock } from '../../../src/engine/drivers/clock.js';
import { MemoryVolumeStore } from '../../../src/sim/memory-volume-store.js';
import type { Engine } from '../../../src/engine/engine.js';
import type { EngineEvent } from '../../../src/engine/events.js';
import { createEngine } from '../../../src/engine/create-engine.js';
import { MemoryContentStore } from '../../../src/sim/memory-content-store.js';
import { MemorySnapshotter } from '../../../src/sim/memory-snapshotter.js';
import { SimRuntime } from '../../../src/sim/sim-runtime.js';
import { simBusyboxLayer } from '../../../src/sim/base-image/index.js';
import { MemoryWorkspace } from '../../../src/sim/memory-workspace.js';

/** A seeded [0, 1) source, so IDs repeat from run to run. */
export function seeded(seed = 1): () => number {
  let s = seed;
  return () => {
    s = (s * 16807) % 2147483647;
    return (s - 1) / 2147483646;
  };
}

/** A clock tests move by hand; sleeps resolve at once. */
export class ManualClock implements Clock {
  constructor(public ms = Date.parse('2026-01-01T00:00:00Z')) {}
  now() {
    return this.ms;
  }
  async sleep() {}
}

const BUSYBOX_CREATED = '2024-01-01T00:00:00Z';

/** The simulator's pieces wired as its engine does, with busybox:latest, keeping the
 * snapshotter at hand so tests can read a layer's entries. */
export async function simEngine(files: Record<string, string | Uint8Array>, clock: Clock = new ManualClock()) {
  const workspace = new MemoryWorkspace(Object.entries(files).map(([path, bytes]) => ({ path, bytes })));
  const snapshotter = new MemorySnapshotter({ now: () => clock.now() });
  const host = {
    kernelVersion: '6.1.0-layerlab',
    operatingSystem: 'Layerlab simulator',
    architecture: 'x86_64',
    hostname: 'layerlab',
    cpus: 2,
    memoryBytes: 2 * 1024 ** 3,
  };
  const runtime = new SimRuntime({ openRootfs: (mounts, init) => snapshotter.fs(mounts, init), clock, host });
  const layer = simBusyboxLayer();
  const engine: Engine = await createEngine(
    { backend: 'sim', content: new MemoryContentStore(), snapshotter, runtime, workspace, volumes: new MemoryVolumeStore(), clock, host },
    {
      random: seeded(),
      baseImages: [
        {
          reference: 'busybox:latest',
          layers: [{ ...layer, createdBy: '' }],
          config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], Cmd: ['sh'] },
          created: BUSYBOX_CREATED,
          history: [{ created: BUSYBOX_CREATED, comment: 'Imported from -' }],
        },
      ],
    },
  );
  const events: EngineEvent[] = [];
  engine.subscribe((e) => events.push(e));
  return { engine, workspace, snapshotter, runtime, events };
}
