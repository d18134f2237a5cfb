import { describe, expect, it } from 'vitest';
import { sourceExcerpt } from '../../../src/engine/builder/progress/buildkit-progress.js';
import { changesDigest, stepKey } from '../../../src/engine/builder/build-cache.js';
import type { Change } from '../../../src/engine/layer/change.js';

describe("buildx's source excerpt", () => {
  it('marks the failing line and pads it with the lines around it', () => {
    expect(sourceExcerpt('Dockerfile', ['FROM busybox', 'RUN exit 3', ''], 2, 2)).toBe(
      'Dockerfile:2\n--------------------\n   1 |     FROM busybox\n   2 | >>> RUN exit 3\n   3 |     \n--------------------\n',
    );
  });
});

describe('cache keys', () => {
  const file = (bytes: string, mode = 0o644): Change => ({
    kind: 'file',
    path: '/a',
    mode,
    uid: 0,
    gid: 0,
    content: { type: 'bytes', bytes: new TextEncoder().encode(bytes) },
  });

  it('follow file content and metadata, not the instance', () => {
    expect(changesDigest([file('x')])).toBe(changesDigest([file('x')]));
    expect(changesDigest([file('x')])).not.toBe(changesDigest([file('y')]));
    expect(changesDigest([file('x')])).not.toBe(changesDigest([file('x', 0o755)]));
  });

  it('chain: a different parent changes the key', () => {
    expect(stepKey('p1', { k: 'RUN' })).toBe(stepKey('p1', { k: 'RUN' }));
    expect(stepKey('p1', { k: 'RUN' })).not.toBe(stepKey('p2', { k: 'RUN' }));
  });
});
