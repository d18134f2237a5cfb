import { describe, expect, it } from 'vitest';
import { MemorySnapshotter } from '../../src/sim/memory-snapshotter.js';
import { snapshotterContract } from '../contract/snapshotter.contract.js';
import { aLayer } from '../support/builders.js';

snapshotterContract('memory', async () => ({ snapshotter: new MemorySnapshotter() }));

describe('MemorySnapshotter mounts', () => {
  it("describes containerd overlay's mounts with numbered snapshot dirs", async () => {
    const s = new MemorySnapshotter();
    expect(await s.prepare('l1-active')).toEqual([{ type: 'bind', source: '/var/lib/layerlab/snapshots/1/fs', options: ['rbind', 'rw'] }]);
    await s.apply('l1-active', aLayer({ '/etc/passwd': 'root' }));
    await s.commit('l1', 'l1-active');
    await s.prepare('l2-active', 'l1');
    await s.commit('l2', 'l2-active');
    expect(await s.view('v', 'l1')).toEqual([{ type: 'bind', source: '/var/lib/layerlab/snapshots/1/fs', options: ['rbind', 'ro'] }]);
    expect(await s.prepare('c', 'l2')).toEqual([
      {
        type: 'overlay',
        source: 'overlay',
        options: [
          'lowerdir=/var/lib/layerlab/snapshots/2/fs:/var/lib/layerlab/snapshots/1/fs',
          'upperdir=/var/lib/layerlab/snapshots/4/fs',
          'workdir=/var/lib/layerlab/snapshots/4/work',
        ],
      },
    ]);
    expect(await s.view('v2', 'l2')).toEqual([
      { type: 'overlay', source: 'overlay', options: ['lowerdir=/var/lib/layerlab/snapshots/2/fs:/var/lib/layerlab/snapshots/1/fs'] },
    ]);
  });

  it('is cheap: preparing, viewing and removing a container on a 400-entry layer copies nothing', async () => {
    const s = new MemorySnapshotter();
    const spec: Record<string, string> = {};
    for (let i = 0; i < 400; i++) spec[`/bin/applet${i}`] = '-> /bin/busybox';
    await s.prepare('base-active');
    await s.apply('base-active', aLayer(spec));
    await s.commit('base', 'base-active');
    const run = async (key: string) => {
      const fs = s.fs(await s.prepare(key, 'base'));
      fs.lstat('/bin/applet7');
      expect(await s.changes(key)).toEqual([]);
      await s.remove(key);
    };
    for (let i = 0; i < 500; i++) await run(`warm${i}`);
    const runs = 2000;
    const start = performance.now();
    for (let i = 0; i < runs; i++) await run(`c${i}`);
    const perRun = (performance.now() - start) / runs;
    // The engine's budget for `docker run --rm busybox echo hi` is 1 ms end to end; this
    // part takes ~0.03 ms, the bound leaves room for a loaded CI machine.
    expect(perRun).toBeLessThan(0.5);
  });
});
