import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/create-engine.js';
import type { EngineEvent } from '../../src/engine/events.js';
import { RuntimeContainerNotFound } from '../../src/engine/errors.js';
import { simBusyboxImage, SIM_HOST } from '../../src/sim/create-sim-engine.js';
import { MemoryContentStore } from '../../src/sim/memory-content-store.js';
import { MemorySnapshotter } from '../../src/sim/memory-snapshotter.js';
import { MemoryWorkspace } from '../../src/sim/memory-workspace.js';
import { MemoryVolumeStore } from '../../src/sim/memory-volume-store.js';
import { SimRuntime } from '../../src/sim/sim-runtime.js';
import { FakeClock } from './support/fake-clock.js';
import { seeded } from './support/sim-engine.js';

async function anEngine() {
  const clock = new FakeClock();
  const snapshotter = new MemorySnapshotter({ now: () => clock.now() });
  const runtime = new SimRuntime({ openRootfs: (m) => snapshotter.fs(m), clock, host: SIM_HOST });
  const engine = await createEngine(
    {
      backend: 'sim',
      content: new MemoryContentStore(),
      snapshotter,
      runtime,
      workspace: new MemoryWorkspace(),
      volumes: new MemoryVolumeStore(),
      clock,
      host: SIM_HOST,
    },
    { baseImages: [simBusyboxImage()], random: seeded() },
  );
  const run = async (line: string) => (await clock.settle(engine.exec(line))).stdout.trim();
  // busybox unpacked, as on the first command (create-engine.ts): its snapshot is one dispose leaves.
  await engine.state();
  return { engine, clock, snapshotter, runtime, run };
}

describe('engine.dispose', () => {
  it('removes every container, whatever its state, from the runtime and the snapshotter', async () => {
    const { engine, clock, snapshotter, runtime, run } = await anEngine();
    const imageSnapshots = (await snapshotter.list()).map((s) => s.key);
    const ids = [
      await run('docker create busybox'),
      await run('docker run -d busybox true'),
      await run('docker run -d busybox sleep 100'),
      await run('docker run -d busybox sleep 100'),
      await run('docker run -d --rm busybox sleep 100'),
    ];
    await run(`docker pause ${ids[3]}`);
    await run('docker run --name nocmd busybox nosuchcmd');
    expect(await runtime.state(ids[2]!)).toMatchObject({ status: 'running' });
    const removed: string[] = [];
    engine.subscribe((e: EngineEvent) => {
      if (e.type === 'container.removed') removed.push(e.id);
    });

    await clock.settle(engine.dispose());

    expect((await snapshotter.list()).map((s) => s.key)).toEqual(imageSnapshots);
    for (const id of ids) await expect(runtime.state(id)).rejects.toBeInstanceOf(RuntimeContainerNotFound);
    expect(removed).toHaveLength(6);
    expect((await engine.state()).containers).toEqual([]);
  });
});
