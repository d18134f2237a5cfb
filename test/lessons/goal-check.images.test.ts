import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { stateSchema, type ImageState, type LayerState, type StateSnapshot } from '../../src/engine/state.js';
import { checkGoal } from '../../src/lessons/goal-check.js';
import { goalSchema } from '../../src/lessons/goal.js';
import { anImage } from './state.builders.js';

const digestOf = (seed: string) => `sha256:${createHash('sha256').update(seed).digest('hex')}`;

type Files = LayerState['files'];

/** Layers stacked on each other, each with its files; chainIDs chain as the OCI spec says. */
function stack(seed: string, layers: Files[], below: LayerState[] = []): LayerState[] {
  const out = [...below];
  for (const [i, files] of layers.entries()) {
    const diffId = digestOf(`${seed}/${i}`);
    const parent = out.at(-1)?.chainId ?? null;
    out.push({ diffId, chainId: parent ? digestOf(`${parent} ${diffId}`) : diffId, parent, size: 10, createdBy: `RUN step ${i}`, files });
  }
  return out;
}

function imageOf(tag: string, layers: LayerState[]): ImageState {
  return {
    ...anImage({ tags: [tag], seed: tag, layers: layers.length }),
    diffIds: layers.map((l) => l.diffId),
    chainIds: layers.map((l) => l.chainId),
  };
}

function stateOf(images: [ImageState, LayerState[]][]): StateSnapshot {
  const layers = new Map(images.flatMap(([, ls]) => ls.map((l) => [l.chainId, l] as const)));
  return stateSchema.parse({ schemaVersion: 1, backend: 'sim', images: images.map(([i]) => i), layers: [...layers.values()], containers: [] });
}

const base = stack('busybox', [
  [
    { path: '/bin', kind: 'dir', size: 0 },
    { path: '/etc/passwd', kind: 'file', size: 300 },
  ],
]);
const made = stack('big', [[{ path: '/numbers.txt', kind: 'file', size: 588_895 }]], base);
const removed = stack('rm', [[{ path: '/numbers.txt', kind: 'whiteout', size: 0 }]], made);

describe('image goals', () => {
  it('imageFile finds an entry in any layer of the image, a deleted file included', () => {
    const state = stateOf([
      [imageOf('busybox:latest', base), base],
      [imageOf('big:1', made), made],
      [imageOf('big:2', removed), removed],
    ]);
    expect(checkGoal({ kind: 'imageFile', ref: 'big:2', path: '/numbers.txt', entry: 'whiteout' }, state)).toBe(true);
    // Docker: the bytes of a deleted file stay in the layer that added it.
    expect(checkGoal({ kind: 'imageFile', ref: 'big:2', path: '/numbers.txt' }, state)).toBe(true);
    expect(checkGoal({ kind: 'imageFile', ref: 'big:1', path: 'numbers.txt', entry: 'whiteout' }, state)).toBe(false);
    expect(checkGoal({ kind: 'imageFile', ref: 'busybox', path: '/numbers.txt' }, state)).toBe(false);
    expect(checkGoal({ kind: 'imageFile', ref: 'busybox', path: '/etc/passwd', entry: 'file' }, state)).toBe(true);
    expect(checkGoal({ kind: 'imageFile', ref: 'nope:1', path: '/etc/passwd' }, state)).toBe(false);
  });

  it('sharedLayers counts the layers two images have in common from the base up', () => {
    const copyFirst = stack(
      'copy-app',
      [[{ path: '/app/app.txt', kind: 'file', size: 5 }], [{ path: '/app/installed.txt', kind: 'file', size: 9 }]],
      base,
    );
    const edited = stack('copy-app-edited', [[{ path: '/app/app.txt', kind: 'file', size: 6 }]], base);
    const install = copyFirst[2]!;
    // The same install layer (same diffID) on an edited COPY layer: a new chainID.
    const copyEdited = [...edited, { ...install, parent: edited[1]!.chainId, chainId: digestOf(`${edited[1]!.chainId} ${install.diffId}`) }];
    const state = stateOf([
      [imageOf('busybox:latest', base), base],
      [imageOf('big:1', made), made],
      [imageOf('big:2', removed), removed],
      [imageOf('app:1', copyFirst), copyFirst],
      [imageOf('app:2', copyEdited), copyEdited],
    ]);
    expect(checkGoal({ kind: 'sharedLayers', images: ['big:1', 'big:2'], count: 2 }, state)).toBe(true);
    expect(checkGoal({ kind: 'sharedLayers', images: ['big:2', 'busybox'], count: 1 }, state)).toBe(true);
    expect(copyEdited[2]!.diffId).toBe(install.diffId);
    expect(checkGoal({ kind: 'sharedLayers', images: ['app:1', 'app:2'], count: 1 }, state)).toBe(true);
    expect(checkGoal({ kind: 'sharedLayers', images: ['app:1', 'app:2'], count: { min: 2 } }, state)).toBe(false);
    expect(checkGoal({ kind: 'sharedLayers', images: ['app:1', 'gone:1'], count: { min: 0 } }, state)).toBe(false);
  });

  it('a shared layer lower down does not count once the images part', () => {
    const a = stack('a', [[{ path: '/a', kind: 'file', size: 1 }]], base);
    const b = stack('b', [[{ path: '/b', kind: 'file', size: 1 }]], base);
    const aOnB = { ...a[1]!, parent: b[1]!.chainId, chainId: digestOf(`${b[1]!.chainId} ${a[1]!.diffId}`) };
    const state = stateOf([
      [imageOf('x:1', a), a],
      [imageOf('x:2', [...b, aOnB]), [...b, aOnB]],
    ]);
    expect(checkGoal({ kind: 'sharedLayers', images: ['x:1', 'x:2'], count: 1 }, state)).toBe(true);
  });

  it('the schema takes the new kinds and refuses a malformed one', () => {
    expect(goalSchema.safeParse({ kind: 'imageFile', ref: 'big:2', path: '/numbers.txt', entry: 'whiteout' }).success).toBe(true);
    expect(goalSchema.safeParse({ kind: 'imageFile', ref: 'big:2', path: 'numbers.txt' }).success).toBe(false);
    expect(goalSchema.safeParse({ kind: 'sharedLayers', images: ['a:1', 'a:2'], count: { min: 3 } }).success).toBe(true);
    expect(goalSchema.safeParse({ kind: 'sharedLayers', images: ['a:1'], count: 1 }).success).toBe(false);
  });
});
