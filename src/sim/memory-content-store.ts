import type { ContentStore } from '../engine/drivers/content-store.js';
import { sha256, type Digest } from '../engine/digest.js';
import { BlobNotFound, DigestMismatch } from '../engine/errors.js';

/**
 * The simulator's content store: blobs in a map by digest. Bytes are copied in and out,
 * so a caller changing its array cannot change what a digest names.
 */
export class MemoryContentStore implements ContentStore {
  readonly #blobs = new Map<Digest, Uint8Array>();

  async put(bytes: Uint8Array, expected?: Digest): Promise<Digest> {
    const digest = sha256(bytes);
    if (expected !== undefined && expected !== digest) {
      throw new DigestMismatch(`unexpected digest ${digest}, expected ${expected}`, { expected, actual: digest });
    }
    if (!this.#blobs.has(digest)) this.#blobs.set(digest, bytes.slice());
    return digest;
  }

  async putStream(chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>, expected?: Digest): Promise<{ digest: Digest; created: boolean }> {
    const parts: Uint8Array[] = [];
    let total = 0;
    for await (const c of chunks) {
      parts.push(c);
      total += c.length;
    }
    const bytes = new Uint8Array(total);
    let off = 0;
    for (const c of parts) {
      bytes.set(c, off);
      off += c.length;
    }
    const had = this.#blobs.has(sha256(bytes));
    const digest = await this.put(bytes, expected);
    return { digest, created: !had };
  }

  async get(digest: Digest): Promise<Uint8Array> {
    const blob = this.#blobs.get(digest);
    if (blob === undefined) throw new BlobNotFound(`blob ${digest} not found`, { digest });
    return blob.slice();
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
