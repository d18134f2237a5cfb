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

  it('prepares, views and removes containers on a 400-entry layer, each leaving no changes', async () => {
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
    // How fast this is (the engine's budget for a simulated `docker run`) is a benchmark's
    // figure (bench/sim.bench.ts), not a timed test.
    for (let i = 0; i < 50; i++) await run(`c${i}`);
    expect((await s.list()).map((i) => i.key)).toEqual(['base']);
  });
});
