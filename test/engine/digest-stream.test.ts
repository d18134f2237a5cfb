import { describe, expect, it } from 'vitest';
import { sha256 } from '../../src/engine/digest.js';
import { SLICE_BYTES, sha256Chunks } from '../../src/engine/digest-stream.js';
import { layerDigest, layerOf } from '../../src/engine/layer/tar.js';
import { aFile } from '../support/builders.js';

describe('hashing learner data in slices', () => {
  it('gives the digest sha256 gives, from one blob or from chunks', async () => {
    const data = new Uint8Array(3 * SLICE_BYTES + 17).map((_, i) => i % 251);
    expect(await sha256Chunks(data)).toBe(sha256(data));
    expect(await sha256Chunks([data.subarray(0, 5), data.subarray(5)])).toBe(sha256(data));
  });

  it('lets the event loop run between slices of a big blob (other sessions are served meanwhile)', async () => {
    let turns = 0;
    const timer = setInterval(() => turns++, 0);
    await sha256Chunks(new Uint8Array(8 * SLICE_BYTES));
    clearInterval(timer);
    expect(turns).toBeGreaterThanOrEqual(4);
  });

  it('a layer hashed as its tar streams has the diffID of the tar written whole', async () => {
    const changes = [aFile('/big', new Uint8Array(SLICE_BYTES + 3).fill(7)), aFile('/etc/motd', 'hi\n')];
    expect(await layerDigest(changes)).toEqual({ diffId: layerOf(changes).diffId, size: SLICE_BYTES + 6 });
  });
});
