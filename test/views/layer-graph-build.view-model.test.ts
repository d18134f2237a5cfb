import { describe, expect, it } from 'vitest';
import { chainIds, type Digest } from '../../src/engine/digest.js';
import { toLayerGraph, type LayerGraph } from '../../src/views/layer-graph.view-model.js';
import { aBuild, aChain, aContainer, anImage, aState, busyboxSpec, dir, nextTime } from './fixtures.js';

/**
 * busybox, then `FROM busybox / RUN echo a / ENV X=1 / RUN echo b / CMD ["sh"]` on its
 * way: the snapshots the picture gets after each step, and the one after build.done.
 */
function buildScene() {
  const base = aChain([busyboxSpec]);
  const busybox = anImage({ tags: ['busybox:latest'], layers: base, emptySteps: [{ after: 0, createdBy: 'CMD ["sh"]' }] });
  const started = nextTime();
  const own = aChain(
    [
      { createdBy: 'RUN /bin/sh -c echo a > /a # buildkit', files: { '/a': 2 } },
      { createdBy: 'RUN /bin/sh -c echo b > /b # buildkit', files: { '/b': 2 } },
    ],
    base,
  );
  const app = anImage({
    tags: ['app:latest'],
    layers: [...base, ...own],
    emptySteps: [
      { after: 0, createdBy: 'CMD ["sh"]' },
      { after: 1, createdBy: 'ENV X=1' },
      { after: 2, createdBy: 'CMD ["sh"]' },
    ],
  });
  // The layers a step made are in the snapshot from that step on.
  const during = (stepsDone: number) => {
    const build = aBuild(app, busybox, stepsDone, { id: 'b1d0000000a1', started });
    return aState({ images: [busybox], layers: [...base, ...own.filter((l) => build.chainIds.includes(l.chainId))], builds: [build] });
  };
  const after = aState({ images: [busybox, app], layers: [...base, ...own] });
  return { base, own, busybox, app, during, after };
}

const layerKeys = (g: LayerGraph) => g.layers.map((l) => l.key);
const positions = (g: LayerGraph) => new Map(g.layers.map((l) => [l.key, `${l.col},${l.row}`]));

describe('toLayerGraph with a build in progress', () => {
  it("grows the building image one layer per finished step, on its base's layers", () => {
    const { base, during } = buildScene();
    const counts = [0, 1, 2, 3, 4].map((n) => toLayerGraph(during(n)).layers.length);
    expect(counts).toEqual([1, 2, 2, 3, 3]);
    const graph = toLayerGraph(during(3));
    const building = graph.images.find((i) => i.building)!;
    expect(building.key).toBe('build:b1d0000000a1');
    expect(building.building).toEqual({ step: 4, total: 5 });
    expect(building.layerCount).toBe(3);
    expect(building.tags).toEqual([]);
    const byKey = new Map(graph.layers.map((l) => [l.key, l]));
    const top = byKey.get(building.topKey!)!;
    expect([top.col, top.row]).toEqual([building.col, building.row]);
    // Each of the build's layers stands on the one below it, down to the base's.
    let layer = top;
    const chain = [layer.key];
    while (layer.parentKey) {
      const parent = byKey.get(layer.parentKey)!;
      expect(layer.row).toBe(parent.row + 1);
      layer = parent;
      chain.unshift(layer.key);
    }
    expect(chain[0]).toBe(base[0]!.chainId);
    // OCI: chainID(n) = sha256(chainID(n-1) + " " + diffID(n)).
    expect(chain).toEqual(chainIds(chain.map((k) => byKey.get(k)!.diffId as Digest)));
  });

  it("marks the build's own layers as building, not loose, and counts no image for them", () => {
    const { base, own, during } = buildScene();
    const graph = toLayerGraph(during(3));
    const baseNode = graph.layers.find((l) => l.key === base[0]!.chainId)!;
    expect(baseNode.building).toBe(false);
    expect(baseNode.usedBy).toBe(1);
    for (const l of own) {
      const node = graph.layers.find((n) => n.key === l.chainId)!;
      expect(node).toMatchObject({ building: true, usedBy: 0, topOf: [], tags: [] });
    }
    expect(graph.layers.find((n) => n.key === own[0]!.chainId)!.createdBy).toBe('RUN /bin/sh -c echo a > /a');
    expect(graph.images.find((i) => i.building)!.size).toBe(base[0]!.size + own[0]!.size + own[1]!.size);
  });

  it('gives the final image the very nodes the build drew: same keys, same places', () => {
    const { app, during, after } = buildScene();
    const last = toLayerGraph(during(4));
    const done = toLayerGraph(after, during(4));
    expect(layerKeys(done)).toEqual(layerKeys(last));
    expect(layerKeys(done).slice(-3)).toEqual(app.chainIds);
    expect(positions(done)).toEqual(positions(last));
    expect(done.layers.every((l) => !l.building && !l.isNew)).toBe(true);
    expect(done.images.map((i) => i.key)).toEqual([after.images[0]!.id, app.id]);
    expect(done.images.find((i) => i.id === app.id)).toMatchObject({
      building: null,
      isNew: true,
      col: last.images[1]!.col,
      row: last.images[1]!.row,
    });
    expect(done.markers.map((m) => m.key).sort()).toEqual(last.markers.map((m) => m.key).sort());
  });

  it('flags only the layer a step just made as new', () => {
    const { own, during } = buildScene();
    const graph = toLayerGraph(during(3), during(2));
    expect(graph.layers.filter((l) => l.isNew).map((l) => l.key)).toEqual([own[1]!.chainId]);
    expect(graph.images.find((i) => i.building)!.isNew).toBe(false);
    expect(toLayerGraph(during(0), aState({ images: [during(0).images[0]!], layers: during(0).layers })).images.find((i) => i.building)!.isNew).toBe(
      true,
    );
  });

  it("shows the build's metadata steps lightly, as an image's", () => {
    const { own, during } = buildScene();
    const graph = toLayerGraph(during(2));
    const env = graph.markers.find((m) => m.createdBy === 'ENV X=1')!;
    expect(env.imageIds).toEqual(['build:b1d0000000a1']);
    const a = graph.layers.find((l) => l.key === own[0]!.chainId)!;
    expect(env.row).toBeGreaterThan(a.row);
  });

  it('marks no layer as building that an image already holds (a rebuild from cache)', () => {
    const { app, busybox, own, after } = buildScene();
    const rebuild = aBuild(app, busybox, 4, { id: 'b1d0000000a2' });
    const graph = toLayerGraph(aState({ images: after.images, layers: after.layers, builds: [rebuild] }));
    for (const l of own) expect(graph.layers.find((n) => n.key === l.chainId)).toMatchObject({ building: false, usedBy: 1 });
    // Its label sits above app:latest's on the same top layer.
    expect(graph.images.find((i) => i.building)).toMatchObject({ topKey: own[1]!.chainId, stack: 1 });
  });

  it('lets a failed build go: its finished layers stay as loose build cache', () => {
    const { busybox, base, own, during } = buildScene();
    const failed = aState({ images: [busybox], layers: [...base, own[0]!] });
    const graph = toLayerGraph(failed, during(1));
    expect(graph.images.some((i) => i.building)).toBe(false);
    expect(graph.layers.find((l) => l.key === own[0]!.chainId)).toMatchObject({ building: false, usedBy: 0 });
  });

  it('stands a scratch build with no layer yet on its own, and keeps containers where they were', () => {
    const base = aChain([busyboxSpec]);
    const busybox = anImage({ tags: ['busybox:latest'], layers: base });
    const c = aContainer(busybox, { name: 'box', upper: { '/tmp': dir } });
    const scratch = anImage({ layers: [], emptySteps: [{ after: -1, createdBy: 'CMD ["x"]' }] });
    const build = { ...aBuild(scratch, anImage({ layers: [] }), 0), baseImageId: null };
    const before = toLayerGraph(aState({ images: [busybox], layers: base, containers: [c] }));
    const graph = toLayerGraph(aState({ images: [busybox], layers: base, containers: [c], builds: [build] }));
    const node = graph.images.find((i) => i.building)!;
    expect(node).toMatchObject({ topKey: null, layerCount: 0, row: 0 });
    expect(graph.containers[0]).toMatchObject({ col: before.containers[0]!.col, row: before.containers[0]!.row });
  });
});
