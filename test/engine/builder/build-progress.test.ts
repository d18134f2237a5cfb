import { describe, expect, it } from 'vitest';
import { chainIds, type Digest } from '../../../src/engine/digest.js';
import type { StateSnapshot } from '../../../src/engine/state.js';
import { simEngine } from './sim-fixture.js';

const FIVE_STEPS =
  'FROM busybox\nRUN echo one > /one\nCOPY hello.txt /hello.txt\nENV GREETING=hi\nRUN cat /hello.txt > /copy\nCMD ["cat", "/copy"]\n';

/** The snapshot as the picture would ask for it on each finished or cached step. */
async function snapshotsPerStep(files: Record<string, string>, command: string) {
  const { engine, events } = await simEngine(files);
  const asked: Promise<StateSnapshot>[] = [];
  engine.subscribe((e) => {
    if (e.type === 'build.step.done' || e.type === 'build.step.cached') asked.push(engine.state());
  });
  const result = await engine.exec(command);
  return { engine, events, result, steps: await Promise.all(asked), after: await engine.state() };
}

describe('a build in the state snapshot', () => {
  it("shows the image being built one step at a time, on its base's layers, until the image takes over", async () => {
    const { steps, after, result } = await snapshotsPerStep({ Dockerfile: FIVE_STEPS, 'hello.txt': 'hello\n' }, 'docker build -t app .');
    expect(result.exitCode).toBe(0);
    const busybox = after.images.find((i) => i.repoTags.includes('busybox:latest'))!;
    const app = after.images.find((i) => i.repoTags.includes('app:latest'))!;
    const builds = steps.map((s) => s.builds ?? []);
    expect(builds.map((b) => b.length)).toEqual([1, 1, 1, 1, 1, 1]);
    const progress = builds.map((b) => b[0]!);
    expect(progress.map((b) => [b.step, b.total, b.chainIds.length, b.history.length])).toEqual([
      [1, 6, 1, 1],
      [2, 6, 2, 2],
      [3, 6, 3, 3],
      [4, 6, 3, 4],
      [5, 6, 4, 5],
      [6, 6, 4, 6],
    ]);
    for (const [i, b] of progress.entries()) {
      expect(b.baseImageId).toBe(busybox.id);
      expect(b.baseLayers).toBe(1);
      expect(b.chainIds.slice(0, 1)).toEqual(busybox.chainIds);
      // OCI: chainID(n) = sha256(chainID(n-1) + " " + diffID(n)) — the keys the final image will have.
      expect(b.chainIds).toEqual(chainIds(b.diffIds as Digest[]));
      expect(b.chainIds).toEqual(app.chainIds.slice(0, b.chainIds.length));
      expect(b.history.map((h) => h.createdBy)).toEqual(app.history.slice(0, b.history.length).map((h) => h.createdBy));
      // Each layer a finished step made is in the snapshot's layers already, files and all.
      for (const chainId of b.chainIds) expect(steps[i]!.layers.some((l) => l.chainId === chainId)).toBe(true);
      expect(steps[i]!.images.some((img) => img.id === app.id)).toBe(false);
    }
    expect(progress[5]!.chainIds).toEqual(app.chainIds);
    expect(after.builds).toBeUndefined();
  });

  it('says so for cached steps too, with the same chain', async () => {
    const { engine } = await simEngine({ Dockerfile: FIVE_STEPS, 'hello.txt': 'hello\n' });
    await engine.exec('docker build -t app .');
    const chains: string[][] = [];
    engine.subscribe((e) => {
      if (e.type === 'build.step.cached') void engine.state().then((s) => chains.push(s.builds![0]!.chainIds));
    });
    await engine.exec('docker build -t app .');
    const app = (await engine.state()).images.find((i) => i.repoTags.includes('app:latest'))!;
    expect(chains.map((c) => c.length)).toEqual([2, 3, 3, 4, 4]);
    expect(chains.at(-1)).toEqual(app.chainIds);
  });

  it('drops a failed build at its end; the layers its finished steps made stay, as build cache', async () => {
    const { steps, after, result, events } = await snapshotsPerStep(
      { Dockerfile: 'FROM busybox\nRUN echo one > /one\nRUN exit 3\n' },
      'docker build -t broken .',
    );
    expect(result.exitCode).toBe(1);
    expect(steps.map((s) => s.builds?.[0]?.chainIds.length)).toEqual([1, 2]);
    expect(events.some((e) => e.type === 'build.step.failed')).toBe(true);
    expect(after.builds).toBeUndefined();
    const made = steps[1]!.builds![0]!.chainIds[1]!;
    expect(after.layers.some((l) => l.chainId === made)).toBe(true);
    expect(after.images.some((i) => i.chainIds.includes(made))).toBe(false);
  });

  it('follows the stage being built: FROM an earlier stage starts from its chain', async () => {
    const dockerfile = 'FROM busybox AS first\nRUN echo a > /a\nFROM first\nRUN echo b > /b\n';
    const { steps, after } = await snapshotsPerStep({ Dockerfile: dockerfile }, 'docker build -t two .');
    const two = after.images.find((i) => i.repoTags.includes('two:latest'))!;
    const progress = steps.map((s) => s.builds![0]!);
    expect(progress.map((b) => [b.baseImageId === null, b.baseLayers, b.chainIds.length])).toEqual([
      [false, 1, 1],
      [false, 1, 2],
      [true, 2, 2],
      [true, 2, 3],
    ]);
    expect(progress.at(-1)!.chainIds).toEqual(two.chainIds);
  });
});
