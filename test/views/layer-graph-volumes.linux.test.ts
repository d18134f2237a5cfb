import { describe, expect, it } from 'vitest';
import { toLayerGraph } from '../../src/views/layer-graph.view-model.js';
import { useLinuxEngine } from '../support/linux-engine.js';
import { missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';

const run = requirePrereqs('linux', missingLinuxPrereqs());

// The picture's volumes on runc: the state a sandbox session sends the page links each
// container's mount of a volume as the simulator's does (layer-graph-volumes.view-model.test.ts).
describe.skipIf(!run)('toLayerGraph: volumes in the picture, on runc (root)', () => {
  const linux = useLinuxEngine('layerlab-graph-volumes-');

  it('a volume is one node, linked from each container that holds it; a removed container takes its link', async () => {
    for (const command of [
      'docker run --name visit1 -v book:/data busybox true',
      'docker run --name visit2 -v book:/data:ro busybox true',
      'docker volume create spare',
    ]) {
      const r = await linux.engine.exec(command);
      expect(r.exitCode, `${command}\n${r.stderr}`).toBe(0);
    }
    const graph = toLayerGraph(await linux.engine.state());
    const name = (key: string) => graph.containers.find((c) => c.key === key)?.name;
    expect(graph.volumes.map((v) => v.name).sort()).toEqual(['book', 'spare']);
    expect(
      graph.edges
        .filter((e) => e.kind === 'volume')
        .map((e) => `${name(e.from)}>${e.to}`)
        .sort(),
    ).toEqual(['visit1>volume:book', 'visit2>volume:book']);
    expect(graph.volumes.find((v) => v.name === 'book')!.mounts.find((m) => m.container === 'visit2')).toEqual({
      container: 'visit2',
      destination: '/data',
      readOnly: true,
    });

    expect((await linux.engine.exec('docker rm visit1')).exitCode).toBe(0);
    const after = toLayerGraph(await linux.engine.state());
    expect(after.edges.filter((e) => e.kind === 'volume').map((e) => e.to)).toEqual(['volume:book']);
  });
});
