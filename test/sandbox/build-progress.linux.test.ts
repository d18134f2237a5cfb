import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import type { StateSnapshot } from '../../src/engine/state.js';
import { MemoryWorkspace } from '../../src/sim/memory-workspace.js';
import { simEngine } from '../engine/builder/sim-fixture.js';
import { useLinuxEngine } from '../support/linux-engine.js';
import { missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';

const run = requirePrereqs('linux', missingLinuxPrereqs());

const DOCKERFILE = 'FROM busybox\nRUN echo a > /a\nENV X=1\nRUN echo b > /b\nCMD ["cat", "/b"]\n';

/** Each step's `builds` entry, read from the snapshot asked for on that step's event, as the picture asks. */
async function chainsPerStep(engine: Pick<Engine, 'exec' | 'state' | 'subscribe'>) {
  const asked: Promise<StateSnapshot>[] = [];
  const unsubscribe = engine.subscribe((e) => {
    if (e.type === 'build.step.done' || e.type === 'build.step.cached') asked.push(engine.state());
  });
  const result = await engine.exec('docker build -t app .');
  unsubscribe();
  const steps = await Promise.all(asked);
  const after = await engine.state();
  return { result, after, builds: steps.map((s) => s.builds?.map((b) => ({ step: b.step, baseLayers: b.baseLayers, chainIds: b.chainIds }))) };
}

describe.skipIf(!run)('a running build in the state snapshot on runc (root)', () => {
  const linux = useLinuxEngine(
    'layerlab-build-progress-',
    () => new MemoryWorkspace([{ path: 'Dockerfile', bytes: new TextEncoder().encode(DOCKERFILE) }]),
  );
  let engine: Engine;
  beforeAll(() => {
    engine = linux.engine;
  });

  it("grows step by step with the same chainIDs as the simulator's, and is gone once the image exists", async () => {
    const linux = await chainsPerStep(engine);
    expect(linux.result.exitCode).toBe(0);
    const sim = await chainsPerStep((await simEngine({ Dockerfile: DOCKERFILE })).engine);
    expect(linux.builds.map((b) => b?.[0]?.chainIds.length)).toEqual([1, 2, 2, 3, 3]);
    expect(linux.builds).toEqual(sim.builds);
    const app = linux.after.images.find((i) => i.repoTags.includes('app:latest'))!;
    expect(linux.builds.at(-1)![0]!.chainIds).toEqual(app.chainIds);
    expect(linux.after.builds).toBeUndefined();
  });
});
