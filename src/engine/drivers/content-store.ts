import type { Digest } from '../digest.js';

/**
 * A content-addressed blob store (umoci's `cas`): layer tars, image configs and
 * manifests are kept by the sha256 of their bytes. Helpers are built on it, not in it.
 */
export interface ContentStore {
  /** Stores bytes and returns their digest. With `expected`, a mismatch is rejected
   * (`DigestMismatch`) and nothing is stored. Putting existing content is a no-op. */
  put(bytes: Uint8Array, expected?: Digest): Promise<Digest>;
  /** Stores a blob that arrives a chunk at a time (a layer tar as it is written), hashing
   * as it goes and never holding it whole where the backend is a disk. `created`: this
   * call made the blob exist (so undoing it may delete it). A failed put leaves nothing. */
  putStream(chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>, expected?: Digest): Promise<{ digest: Digest; created: boolean }>;
  /** The bytes of a blob; `BlobNotFound` when absent. */
  get(digest: Digest): Promise<Uint8Array>;
  /** The bytes of a blob a bounded chunk at a time (`docker save` of a large layer), never
   * whole where the backend is a disk; `BlobNotFound` (on the first pull) when absent. With
   * `range`, only `length` bytes from `offset` (a file of a stored layer tar as it is
   * unpacked); fewer when the blob ends first. */
  open(digest: Digest, range?: BlobRange): AsyncIterable<Uint8Array>;
  /** Size of a blob, or undefined when absent. */
  stat(digest: Digest): Promise<{ digest: Digest; size: number } | undefined>;
  /** Removes a blob; removing an absent blob is a no-op. */
  delete(digest: Digest): Promise<void>;
  /** Every stored digest, sorted. */
  list(): Promise<Digest[]>;
}

export interface BlobRange {
  offset: number;
  length: number;
}
