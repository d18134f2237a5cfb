import { describe, expect, it } from 'vitest';
import { createEngine, type BaseImage } from '../../src/engine/create-engine.js';
import { SIM_HOST, simBusyboxImage } from '../../src/sim/create-sim-engine.js';
import { MemoryContentStore } from '../../src/sim/memory-content-store.js';
import { MemorySnapshotter } from '../../src/sim/memory-snapshotter.js';
import { MemoryVolumeStore } from '../../src/sim/memory-volume-store.js';
import { MemoryWorkspace } from '../../src/sim/memory-workspace.js';
import { SimRuntime } from '../../src/sim/sim-runtime.js';
import { FakeClock } from './support/fake-clock.js';
import { seeded } from './support/sim-engine.js';

/** An engine whose base images are counted as they are made. */
async function anEngine() {
  const clock = new FakeClock();
  const snapshotter = new MemorySnapshotter({ now: () => clock.now() });
  let made = 0;
  const baseImages = (): BaseImage[] => (made++, [simBusyboxImage()]);
  const engine = await createEngine(
    {
      backend: 'sim',
      content: new MemoryContentStore(),
      snapshotter,
      runtime: new SimRuntime({ openRootfs: (m) => snapshotter.fs(m), clock, host: SIM_HOST }),
      workspace: new MemoryWorkspace(),
      volumes: new MemoryVolumeStore(),
      clock,
      host: SIM_HOST,
    },
    { baseImages, random: seeded() },
  );
  return { engine, clock, snapshotter, made: () => made };
}

// create-engine.ts: the base images are unpacked when first needed, not as the engine opens (issue 15's start).
describe('the base images, on first use', () => {
  it('are not made or unpacked as the engine opens', async () => {
    const { snapshotter, made } = await anEngine();
    expect(made()).toBe(0);
    expect(await snapshotter.list()).toEqual([]);
  });

  it('are there for the first command, made once however many commands come at once, tagged when the engine opened', async () => {
    const { engine, clock, snapshotter, made } = await anEngine();
    const openedAt = clock.now();
    clock.advance(60_000);
    const [images, inspect] = await Promise.all([
      engine.exec('docker images'),
      engine.exec("docker image inspect -f '{{.Metadata.LastTagTime}}' busybox"),
    ]);
    expect(made()).toBe(1);
    expect(images.stdout).toMatch(/^busybox +latest /m);
    expect(new Date(inspect.stdout.trim()).getTime()).toBe(openedAt);
    expect((await snapshotter.list()).map((s) => s.kind)).toEqual(['committed']);
    await engine.exec('docker run --rm busybox true');
    expect(made()).toBe(1);
  });

  it('are in the first state asked for, before any command', async () => {
    const { engine, made } = await anEngine();
    const state = await engine.state();
    expect(made()).toBe(1);
    expect(state.images.map((i) => i.repoTags)).toEqual([['busybox:latest']]);
  });
});
