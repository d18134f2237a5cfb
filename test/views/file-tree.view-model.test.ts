import { describe, expect, it } from 'vitest';
import { toFileTree } from '../../src/views/file-tree.view-model.js';
import { aChain, anImage, aState, dir, lessonState, opaque, whiteout } from './fixtures.js';

function imageOf(specs: Parameters<typeof aChain>[0]) {
  const layers = aChain(specs);
  const image = anImage({ tags: ['t:1'], layers });
  return { layers, image, state: aState({ images: [image], layers }) };
}

describe('toFileTree', () => {
  it('merges an image: each visible path with the layer it comes from, in tree order', () => {
    const { state, app } = lessonState();
    const tree = toFileTree(state, { image: app.id })!;
    expect(tree.layers.map((l) => l.createdBy)).toEqual([
      'ADD file:7e9002edaafd4e45 in /',
      'COPY hello.txt /app/hello.txt',
      'RUN /bin/sh -c rm /etc/hostname',
    ]);
    const at = new Map(tree.entries.map((e) => [e.path, e]));
    expect(at.get('/app/hello.txt')).toMatchObject({ layerIndex: 1, depth: 1, kind: 'file', size: 12, change: null, deleted: false });
    expect(at.get('/bin/busybox')).toMatchObject({ layerIndex: 0, kind: 'file' });
    expect(at.get('/bin/sh')).toMatchObject({ kind: 'symlink' });
    expect(tree.entries.slice(0, 4).map((e) => e.path)).toEqual(['/app', '/app/hello.txt', '/bin', '/bin/busybox']);
    expect(at.get('/bin')!.size).toBe(1_160_912 + 7 * 3);
  });

  it("marks the top layer's changes, and keeps what it deleted in view as deleted", () => {
    const { state, app } = lessonState();
    const tree = toFileTree(state, { image: app.id })!;
    const at = new Map(tree.entries.map((e) => [e.path, e]));
    expect(at.get('/etc')!.change).toBe('changed');
    expect(at.get('/etc/hostname')).toMatchObject({ change: 'deleted', deleted: true, layerIndex: 0 });
    expect(at.get('/etc/passwd')!.change).toBeNull();
    expect(tree.layers[2]!.changes).toEqual([
      { path: '/etc', kind: 'dir', size: 0, change: 'changed' },
      { path: '/etc/hostname', kind: 'file', size: 0, change: 'deleted' },
    ]);
    expect(tree.layers[1]!.changes.map((c) => [c.path, c.change])).toEqual([
      ['/app', 'added'],
      ['/app/hello.txt', 'added'],
    ]);
  });

  it('counts bytes overwritten or deleted by later layers as wasted, like dive', () => {
    const { state, image } = imageOf([
      { createdBy: 'COPY data /data', files: { '/data': dir, '/data/big': 1000, '/data/keep': 10 } },
      { createdBy: 'RUN /bin/sh -c gzip -9 /data/big', files: { '/data': dir, '/data/big': 500 } },
      { createdBy: 'RUN /bin/sh -c rm /data/big', files: { '/data': dir, '/data/big': whiteout } },
    ]);
    const tree = toFileTree(state, { image: image.id })!;
    expect(tree.totalBytes).toBe(1510);
    expect(tree.wastedBytes).toBe(1500);
    expect(tree.efficiency).toBeCloseTo(10 / 1510);
    expect(tree.inefficiencies).toEqual([{ path: '/data/big', versions: 2, wastedBytes: 1500 }]);
    expect(tree.layers.map((l) => l.wastedBytes)).toEqual([1000, 500, 0]);
    expect(tree.layers[1]!.changes).toContainEqual({ path: '/data/big', kind: 'file', size: 500, change: 'changed' });
    expect(tree.entries.filter((e) => !e.deleted).map((e) => e.path)).toEqual(['/data', '/data/keep']);
  });

  it('hides everything below an opaque directory, keeping only its own entries', () => {
    const { state, image } = imageOf([
      { createdBy: 'COPY x /x', files: { '/x': dir, '/x/a': 5, '/x/b': 6 } },
      { createdBy: 'RUN /bin/sh -c rm -rf /x && mkdir /x && echo hi > /x/c', files: { '/x': opaque, '/x/c': 3 } },
    ]);
    const tree = toFileTree(state, { image: image.id })!;
    expect(tree.entries.map((e) => [e.path, e.change])).toEqual([
      ['/x', 'changed'],
      ['/x/c', 'added'],
    ]);
    expect(tree.wastedBytes).toBe(11);
    expect(tree.efficiency).toBeCloseTo(3 / 14);
  });

  it("shows a container's writable layer on top of its image", () => {
    const { state, c1 } = lessonState();
    const tree = toFileTree(state, { container: c1.id })!;
    expect(tree.layers).toHaveLength(4);
    expect(tree.layers[3]).toMatchObject({ kind: 'container', key: `container:${c1.id}`, shortId: c1.id.slice(0, 12) });
    const at = new Map(tree.entries.map((e) => [e.path, e]));
    // overlayfs copy-up: the whole file moves to the upper dir, the image's copy stays below, unseen.
    expect(at.get('/app/hello.txt')).toMatchObject({ layerIndex: 3, size: 20, change: 'changed' });
    expect(at.get('/tmp/x')).toMatchObject({ layerIndex: 3, change: 'added' });
    expect(tree.inefficiencies).toContainEqual({ path: '/app/hello.txt', versions: 2, wastedBytes: 12 });
  });

  it('shows a layer with the layers below it, its own changes marked', () => {
    const { state, app } = lessonState();
    const tree = toFileTree(state, { layer: app.chainIds[1]! })!;
    expect(tree.layers).toHaveLength(2);
    const at = new Map(tree.entries.map((e) => [e.path, e]));
    expect(at.get('/app')!.change).toBe('added');
    expect(at.get('/etc/hostname')).toMatchObject({ deleted: false, change: null });
  });

  it('implies directories no layer lists and answers null for an unknown target', () => {
    const { state, image } = imageOf([{ createdBy: 'COPY a /usr/local/bin/a', files: { '/usr/local/bin/a': 4 } }]);
    const tree = toFileTree(state, { image: image.id })!;
    expect(tree.entries.map((e) => [e.path, e.depth, e.implicit, e.size])).toEqual([
      ['/usr', 0, true, 4],
      ['/usr/local', 1, true, 4],
      ['/usr/local/bin', 2, true, 4],
      ['/usr/local/bin/a', 3, false, 4],
    ]);
    expect(toFileTree(state, { image: 'sha256:' + '0'.repeat(64) })).toBeNull();
    expect(toFileTree(state, { container: 'f'.repeat(64) })).toBeNull();
    expect(toFileTree(state, { layer: 'sha256:' + '1'.repeat(64) })).toBeNull();
  });
});
