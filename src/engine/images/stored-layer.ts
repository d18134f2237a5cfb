import type { ContentStore } from '../drivers/content-store.js';
import type { Digest } from '../digest.js';
import { BlobNotFound } from '../errors.js';
import type { Change } from '../layer/change.js';
import { readLayerTarRanges } from '../layer/tar.js';

/**
 * The entries of a layer tar kept in the content store, read by ranges: its headers are
 * read, each file is a range of the blob passed over and read again when the layer is
 * unpacked. So a snapshot is made from exactly the bytes its diffID names, and no file of
 * it is ever held whole (nor, of a large one, read twice).
 */
export async function storedLayerChanges(content: ContentStore, diffId: Digest): Promise<Change[]> {
  const stored = await content.stat(diffId);
  if (!stored) throw new BlobNotFound(`blob ${diffId} not found`, { digest: diffId });
  return readLayerTarRanges(stored.size, (offset, length) => content.open(diffId, { offset, length }));
}
