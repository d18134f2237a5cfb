import type { ContentStore } from '../drivers/content-store.js';
import type { Digest } from '../digest.js';
import type { Change } from '../layer/change.js';
import { readLayerTarStream } from '../layer/tar.js';

/**
 * The entries of a layer tar kept in the content store, read by chunks: each file is a
 * range of the blob, read again when the layer is unpacked. So a snapshot is made from
 * exactly the bytes its diffID names, and no file of it is ever held whole.
 */
export function storedLayerChanges(content: ContentStore, diffId: Digest): Promise<Change[]> {
  return readLayerTarStream(content.open(diffId), (offset, length) => content.open(diffId, { offset, length }));
}
