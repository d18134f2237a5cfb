import type { ContentStore } from '../drivers/content-store.js';
import type { Snapshotter } from '../drivers/snapshotter.js';
import type { Digest } from '../digest.js';
import { sha256Chunks } from '../digest-stream.js';
import { DigestMismatch, ExternalContent } from '../errors.js';
import { writeLayerTar } from '../layer/tar.js';
import { LayerContentUnavailable } from './archive-errors.js';

/**
 * A layer's uncompressed tar, for `docker save`: the stored blob when there is one (a
 * loaded layer keeps the exact bytes it came with, the Linux base layer its tar), else
 * rebuilt from the committed snapshot's entries. The layer writer is deterministic, so a
 * built layer comes out byte for byte as its diffID says — checked, not assumed.
 */
export async function layerTar(content: ContentStore, snapshotter: Snapshotter, chainId: Digest, diffId: Digest): Promise<Uint8Array> {
  if (await content.stat(diffId)) return content.get(diffId);
  const changes = await snapshotter.changes(chainId);
  let tar: Uint8Array;
  try {
    tar = writeLayerTar(changes);
  } catch (err) {
    if (!(err instanceof ExternalContent)) throw err;
    throw new LayerContentUnavailable(`layer ${diffId} holds content this backend does not have (${err.details.path}); only images not based on it can be saved here`, {
      diffId,
      path: err.details.path ?? '',
    });
  }
  const actual = await sha256Chunks(tar);
  if (actual !== diffId) throw new DigestMismatch(`layer ${chainId} does not reproduce its diffID: expected ${diffId}, got ${actual}`, { expected: diffId, actual });
  return tar;
}
