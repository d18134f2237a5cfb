import { describe, expect, it } from 'vitest';
import { toLayerGraph } from '../../src/views/layer-graph.view-model.js';
import { aChain, aContainer, anImage, aState, bigState, busyboxSpec, dir, lessonState } from './fixtures.js';

describe('toLayerGraph', () => {
  it('draws a layer shared by several images once, with its images branching from it', () => {
    const { state, base, busybox, app, web } = lessonState();
    const graph = toLayerGraph(state);
    expect(graph.layers).toHaveLength(state.layers.length);
    const shared = graph.layers.filter((l) => l.chainId === base[0]!.chainId);
    expect(shared).toHaveLength(1);
    expect(shared[0]!.usedBy).toBe(3);
    const children = graph.layers.filter((l) => l.parentKey === base[0]!.chainId);
    expect(children.map((l) => l.chainId).sort()).toEqual([app.chainIds[1], web.chainIds[1]].sort());
    expect(graph.edges.filter((e) => e.kind === 'layer' && e.from === base[0]!.chainId)).toHaveLength(2);
    expect(busybox.chainIds).toEqual([base[0]!.chainId]);
  });

  it('stacks each image base first: a layer sits one row above its parent', () => {
    const { state } = lessonState();
    const graph = toLayerGraph(state);
    const byKey = new Map(graph.layers.map((l) => [l.key, l]));
    for (const l of graph.layers) {
      const parent = l.parentKey ? byKey.get(l.parentKey) : undefined;
      if (parent) expect(l.row).toBe(parent.row + 1);
      else expect(l.row).toBe(0);
    }
  });

  it("labels a layer with its short diffID, the learner's instruction and Docker's size", () => {
    const { state, base, appLayers } = lessonState();
    const graph = toLayerGraph(state);
    const baseNode = graph.layers.find((l) => l.chainId === base[0]!.chainId)!;
    expect(baseNode.shortId).toBe(base[0]!.diffId.slice(7, 19));
    expect(baseNode.createdBy).toBe('ADD file:7e9002edaafd4e45 in /');
    expect(baseNode.sizeLabel).toBe('1.16MB');
    const copy = graph.layers.find((l) => l.chainId === appLayers[0]!.chainId)!;
    expect(copy.createdBy).toBe('COPY hello.txt /app/hello.txt');
    expect(copy.sizeLabel).toBe('12B');
  });

  it("puts an image's tags on its top layer", () => {
    const { state, app, busybox } = lessonState();
    const graph = toLayerGraph(state);
    const top = graph.layers.find((l) => l.chainId === app.chainIds[app.chainIds.length - 1])!;
    expect(top.tags).toEqual(['app:1', 'app:latest']);
    expect(top.topOf).toEqual([app.id]);
    const image = graph.images.find((i) => i.id === busybox.id)!;
    expect(image.topKey).toBe(busybox.chainIds[0]);
    expect(graph.layers.find((l) => l.key === image.topKey)!.tags).toEqual(['busybox:latest']);
  });

  it("sits a container's writable layer on its image's top layer, with its state and changes", () => {
    const { state, app, c1, c2, busybox } = lessonState();
    const graph = toLayerGraph(state);
    const top = graph.layers.find((l) => l.chainId === app.chainIds[app.chainIds.length - 1])!;
    const running = graph.containers.find((c) => c.id === c1.id)!;
    expect(running.parentKey).toBe(top.key);
    expect(running.row).toBe(top.row + 1);
    expect(running.col).toBe(top.col);
    expect(running.statusClass).toBe('container--running');
    expect(running.changeCount).toBe(4);
    expect(running.name).toBe('happy_turing');
    const exited = graph.containers.find((c) => c.id === c2.id)!;
    expect(exited.parentKey).toBe(busybox.chainIds[0]);
    expect(exited.statusClass).toBe('container--exited');
    expect(graph.edges).toContainEqual(expect.objectContaining({ kind: 'container', from: top.key, to: c1.id }));
  });

  it('marks empty-layer history steps between the layers they came between', () => {
    const { state, base, app } = lessonState();
    const graph = toLayerGraph(state);
    const workdir = graph.markers.find((m) => m.createdBy === 'WORKDIR /app')!;
    const baseNode = graph.layers.find((l) => l.chainId === base[0]!.chainId)!;
    const copyNode = graph.layers.find((l) => l.chainId === app.chainIds[1])!;
    expect(workdir.row).toBeGreaterThan(baseNode.row);
    expect(workdir.row).toBeLessThan(copyNode.row);
    const cmd = graph.markers.find((m) => m.createdBy === 'CMD ["sh"]')!;
    expect(cmd.imageIds).toHaveLength(1);
    expect(cmd.row).toBeGreaterThan(baseNode.row);
    expect(cmd.row).toBeLessThan(baseNode.row + 1);
    expect(graph.markers.map((m) => m.createdBy)).toContain('CMD ["cat", "/app/hello.txt"]');
  });

  it('does not move anything when an unrelated image or a container is added', () => {
    const { state } = lessonState();
    const before = toLayerGraph(state);
    const other = aChain([{ ...busyboxSpec, files: { '/bin': dir, '/bin/other': 10 } }]);
    const otherImage = anImage({ tags: ['other:latest'], layers: other });
    const shareBase = aChain([{ createdBy: 'RUN /bin/sh -c touch /new', files: { '/new': 0 } }], [state.layers[0]!]);
    const branch = anImage({ tags: ['branch:latest'], layers: [state.layers[0]!, ...shareBase] });
    const after = toLayerGraph(
      aState({
        images: [...state.images, otherImage, branch],
        layers: [...state.layers, ...other, ...shareBase],
        containers: [...state.containers, aContainer(otherImage, { name: 'late' })],
      }),
    );
    const place = (g: typeof before) => new Map([...g.layers, ...g.containers, ...g.images].map((n) => [n.key, `${n.col},${n.row}`]));
    const was = place(before);
    const now = place(after);
    for (const [key, at] of was) expect(now.get(key)).toBe(at);
    expect(now.size).toBe(was.size + 5); // two layers, two images, one container
  });

  it('never puts two nodes in one slot', () => {
    const graph = toLayerGraph(bigState());
    const slots = [...graph.layers, ...graph.containers].map((n) => `${n.col},${n.row}`);
    expect(new Set(slots).size).toBe(slots.length);
    expect(graph.layers).toHaveLength(120);
    expect(graph.containers).toHaveLength(50);
    expect(graph.images).toHaveLength(40);
    for (const n of [...graph.layers, ...graph.containers]) {
      expect(n.col).toBeLessThan(graph.cols);
      expect(n.row).toBeLessThan(graph.rows);
    }
  });

  it('tells what is new since the previous snapshot', () => {
    const { state, c1 } = lessonState();
    const extra = aChain([{ createdBy: 'RUN /bin/sh -c date > /d', files: { '/d': 29 } }], [state.layers[0]!]);
    const img = anImage({ tags: ['d:1'], layers: [state.layers[0]!, ...extra] });
    const next = aState({
      images: [...state.images, img],
      layers: [...state.layers, ...extra],
      containers: state.containers.map((c) => (c.id === c1.id ? { ...c, status: 'exited' as const, exitCode: 0 } : c)),
    });
    const graph = toLayerGraph(next, state);
    expect(graph.layers.filter((l) => l.isNew).map((l) => l.chainId)).toEqual([extra[0]!.chainId]);
    expect(graph.images.filter((i) => i.isNew).map((i) => i.id)).toEqual([img.id]);
    expect(graph.containers.find((c) => c.id === c1.id)!.statusChanged).toBe(true);
    expect(toLayerGraph(next).layers.some((l) => l.isNew)).toBe(false);
  });

  it('keeps a layer no image holds any more, above its parent', () => {
    const { state, base } = lessonState();
    const cache = aChain([{ createdBy: 'RUN /bin/sh -c true', files: { '/tmp': dir } }], base);
    const graph = toLayerGraph(aState({ images: state.images, layers: [...state.layers, ...cache], containers: state.containers }));
    const loose = graph.layers.find((l) => l.chainId === cache[0]!.chainId)!;
    expect(loose.usedBy).toBe(0);
    expect(loose.row).toBe(1);
    expect(loose.parentKey).toBe(base[0]!.chainId);
  });

  it('stacks the labels of images that share a top layer', () => {
    const { state, base } = lessonState();
    const again = anImage({
      tags: ['busybox:custom'],
      layers: base,
      cmd: ['echo', 'hi'],
      emptySteps: [{ after: 0, createdBy: 'CMD ["echo", "hi"]' }],
    });
    const graph = toLayerGraph(aState({ images: [...state.images, again], layers: state.layers, containers: state.containers }));
    const labels = graph.images.filter((i) => i.topKey === base[0]!.chainId);
    expect(labels.map((i) => [i.tags[0], i.stack])).toEqual([
      ['busybox:latest', 0],
      ['busybox:custom', 1],
    ]);
    expect(graph.layers.find((l) => l.chainId === base[0]!.chainId)!.tags).toEqual(['busybox:latest', 'busybox:custom']);
  });
});
