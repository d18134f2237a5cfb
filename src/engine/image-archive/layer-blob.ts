import type { ContentStore } from '../drivers/content-store.js';
import type { Snapshotter } from '../drivers/snapshotter.js';
import type { Digest } from '../digest.js';
import { Sha256Stream } from '../digest-stream.js';
import { DigestMismatch, ExternalContent } from '../errors.js';
import type { Change } from '../layer/change.js';
import { layerTarChunks } from '../layer/tar.js';
import { LayerContentUnavailable } from './archive-errors.js';
import type { LayerSource } from '../drivers/layer-source.js';
import type { ChunkSource } from './archive-tar.js';

/**
 * A layer's uncompressed tar, for `docker save`, as a source the archive streams: the
 * stored blob when there is one (a committed or loaded layer keeps its exact bytes, the
 * Linux base layer its tar), read from the store by chunks; else rebuilt from the
 * committed snapshot's entries a piece at a time. The layer writer is deterministic, so a
 * rebuilt layer comes out byte for byte as its diffID says — checked as it streams, not
 * assumed: a mismatch fails the save before its file appears. A layer with `external`
 * content (the simulator's busybox) comes from the `LayerSource` driver, checked against
 * its diffID and kept in the store; without one, the error says why.
 */
export async function layerSource(
  content: ContentStore,
  snapshotter: Snapshotter,
  chainId: Digest,
  diffId: Digest,
  external?: LayerSource,
  /** What the learner asked of the image, for the error's last words: `saved`, `pushed`. */
  purpose = 'saved',
): Promise<ChunkSource> {
  const stored = await content.stat(diffId);
  if (stored) return { size: stored.size, chunks: () => content.open(diffId) };
  const changes = await snapshotter.changes(chainId);
  let size = 0;
  try {
    // The header needs the size first: a pass that counts, holding no byte.
    for (const c of layerTarChunks(changes)) size += c.length;
  } catch (err) {
    if (!(err instanceof ExternalContent)) throw err;
    const path = err.details.path ?? '';
    const fetched = external ? await external.fetch(diffId) : { missing: 'this backend has no source for its bytes' };
    if ('missing' in fetched) {
      throw new LayerContentUnavailable(
        `layer ${diffId} holds content this backend does not have (${path}): ${fetched.missing}; only images not based on it can be ${purpose} here`,
        { diffId, path, reason: fetched.missing },
      );
    }
    // put checks the bytes against the diffID: a wrong asset is refused, never saved.
    await content.put(fetched.tar, diffId);
    return { size: fetched.tar.length, chunks: () => content.open(diffId) };
  }
  return { size, chunks: () => checkedTar(changes, chainId, diffId) };
}

async function* checkedTar(changes: readonly Change[], chainId: Digest, diffId: Digest): AsyncGenerator<Uint8Array> {
  const hash = new Sha256Stream();
  for (const c of layerTarChunks(changes)) {
    await hash.update(c);
    yield c;
  }
  const actual = hash.digest();
  if (actual !== diffId)
    throw new DigestMismatch(`layer ${chainId} does not reproduce its diffID: expected ${diffId}, got ${actual}`, { expected: diffId, actual });
}
