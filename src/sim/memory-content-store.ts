import type { BlobRange, ContentStore } from '../engine/drivers/content-store.js';
import type { Digest } from '../engine/digest.js';
import { SLICE_BYTES, Sha256Stream, sha256Chunks } from '../engine/digest-stream.js';
import { concatBytes } from '../engine/format/concat-bytes.js';
import { BlobNotFound, DigestMismatch } from '../engine/errors.js';

/**
 * The simulator's content store: blobs in a map by digest. Bytes are copied in and out,
 * so a caller changing its array cannot change what a digest names.
 */
export class MemoryContentStore implements ContentStore {
  readonly #blobs = new Map<Digest, Uint8Array>();

  async put(bytes: Uint8Array, expected?: Digest): Promise<Digest> {
    // Hashed in slices: a loaded layer of 100 MB is no long synchronous piece, here either.
    const digest = await sha256Chunks(bytes);
    if (expected !== undefined && expected !== digest) {
      throw new DigestMismatch(`unexpected digest ${digest}, expected ${expected}`, { expected, actual: digest });
    }
    if (!this.#blobs.has(digest)) this.#blobs.set(digest, bytes.slice());
    return digest;
  }

  async putStream(chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>, expected?: Digest): Promise<{ digest: Digest; created: boolean }> {
    // Hashed as the chunks come (a turn of the event loop every slice), and copied once.
    const hash = new Sha256Stream();
    const parts: Uint8Array[] = [];
    for await (const c of chunks) {
      await hash.update(c);
      parts.push(c);
    }
    const digest = hash.digest();
    if (expected !== undefined && expected !== digest) {
      throw new DigestMismatch(`unexpected digest ${digest}, expected ${expected}`, { expected, actual: digest });
    }
    const had = this.#blobs.has(digest);
    if (!had) this.#blobs.set(digest, concatBytes(parts));
    return { digest, created: !had };
  }

  async get(digest: Digest): Promise<Uint8Array> {
    const blob = this.#blobs.get(digest);
    if (blob === undefined) throw new BlobNotFound(`blob ${digest} not found`, { digest });
    return blob.slice();
  }

  async *open(digest: Digest, range?: BlobRange): AsyncIterable<Uint8Array> {
    const blob = this.#blobs.get(digest);
    if (blob === undefined) throw new BlobNotFound(`blob ${digest} not found`, { digest });
    const start = range?.offset ?? 0;
    const end = range ? Math.min(blob.length, start + range.length) : blob.length;
    for (let off = start; off < end; off += SLICE_BYTES) yield blob.slice(off, Math.min(end, off + SLICE_BYTES));
  }

  async stat(digest: Digest): Promise<{ digest: Digest; size: number } | undefined> {
    const blob = this.#blobs.get(digest);
    return blob === undefined ? undefined : { digest, size: blob.length };
  }

  async delete(digest: Digest): Promise<void> {
    this.#blobs.delete(digest);
  }

  async list(): Promise<Digest[]> {
    return [...this.#blobs.keys()].sort();
  }
}
