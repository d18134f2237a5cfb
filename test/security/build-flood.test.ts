import { describe, expect, it } from 'vitest';
import { createSimEngine } from '../../src/sim/create-sim-engine.js';
import { MemoryWorkspace } from '../../src/sim/memory-workspace.js';

/**
 * `docker build`'s code is imported when the first build runs (build.command.ts → build.run.ts). A learner who
 * sends a flood of builds at once on a fresh engine — all of them while that import is still in flight — gets
 * the session's build limit as with the builder loaded: one runs, the rest are refused in Docker's words, and
 * the engine builds again afterwards. This file imports nothing of the builder, so the first build here is a
 * real first import.
 */
describe('a flood of `docker build` on a fresh engine', () => {
  it('is held to the session build limit while the builder is still being imported', async () => {
    const engine = await createSimEngine({
      workspace: new MemoryWorkspace([{ path: 'Dockerfile', bytes: new TextEncoder().encode('FROM busybox\nRUN echo hi > /f\n') }]),
      limits: { maxConcurrentBuilds: 1 },
    });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => engine.exec(`docker build -q -t flood${i} .`)));
    const ran = results.filter((r) => r.exitCode === 0);
    const refused = results.filter((r) => r.error?.code === 'BUILD_LIMIT');
    expect(ran).toHaveLength(1);
    expect(refused).toHaveLength(19);
    for (const r of refused)
      expect(r.stderr).toBe('ERROR: layerlab: this sandbox runs at most 1 build at a time; wait for the running one to finish\n');
    // The slot is released: the next build runs, and the one image built is there.
    expect((await engine.exec('docker build -q -t after .')).exitCode).toBe(0);
    const images = (await engine.exec('docker images')).stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(/\s+/)[0])
      .sort();
    expect(images).toEqual(['after', 'busybox', `flood${results.indexOf(ran[0]!)}`].sort());
    await engine.dispose();
  });
});
