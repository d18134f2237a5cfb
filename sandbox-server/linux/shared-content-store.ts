import { readFile, stat } from 'node:fs/promises';
import type { BlobRange, ContentStore } from '../../src/engine/drivers/content-store.js';
import type { Digest } from '../../src/engine/digest.js';
import { sha256Chunks } from '../../src/engine/digest-stream.js';
import { BlobNotFound, DigestMismatch } from '../../src/engine/errors.js';
import { isNotFound, openBlob, type FsContentStore } from './fs-content-store.js';

/**
 * A session's blobs over the base images' blobs: the base layers are shared read-only
 * (one file for every session, where a copy per session cost 2 MB of tmpfs and a hash at
 * every session start), the session's own blobs live in its own store. A session that
 * deletes a shared blob (`docker rmi busybox`) stops seeing it — only itself; putting the
 * same bytes back shows it again. Nothing a session puts ever reaches the shared files.
 */
export class SharedBaseContentStore implements ContentStore {
  private readonly hidden = new Set<Digest>();

  /** @param shared the base images' blobs: digest → file, written once by setup and never changed. */
  constructor(
    private readonly own: FsContentStore,
    private readonly shared: ReadonlyMap<Digest, string>,
  ) {}

  private sharedPath(digest: Digest): string | undefined {
    return this.hidden.has(digest) ? undefined : this.shared.get(digest);
  }

  async put(bytes: Uint8Array, expected?: Digest): Promise<Digest> {
    const digest = await sha256Chunks(bytes);
    if (expected !== undefined && expected !== digest) {
      throw new DigestMismatch(`unexpected digest: expected ${expected}, got ${digest}`, { expected, actual: digest });
    }
    if (this.shared.has(digest)) {
      this.hidden.delete(digest);
      return digest;
    }
    return this.own.put(bytes, digest);
  }

  async putStream(chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>, expected?: Digest): Promise<{ digest: Digest; created: boolean }> {
    const put = await this.own.putStream(chunks, expected);
    if (!this.shared.has(put.digest)) return put;
    // The base's own blob: shown again, and the session's copy is not kept.
    this.hidden.delete(put.digest);
    if (put.created) await this.own.delete(put.digest);
    return { digest: put.digest, created: false };
  }

  async get(digest: Digest): Promise<Uint8Array> {
    const path = this.sharedPath(digest);
    if (path === undefined) return this.own.get(digest);
    try {
      return new Uint8Array(await readFile(path));
    } catch (error) {
      if (isNotFound(error)) throw new BlobNotFound(`blob ${digest} not found`, { digest });
      throw error;
    }
  }

  open(digest: Digest, range?: BlobRange): AsyncIterable<Uint8Array> {
    const path = this.sharedPath(digest);
    return path === undefined ? this.own.open(digest, range) : openBlob(path, digest, range);
  }

  async stat(digest: Digest): Promise<{ digest: Digest; size: number } | undefined> {
    const path = this.sharedPath(digest);
    if (path === undefined) return this.own.stat(digest);
    return { digest, size: (await stat(path)).size };
  }

  async delete(digest: Digest): Promise<void> {
    if (this.shared.has(digest)) this.hidden.add(digest);
    await this.own.delete(digest);
  }

  async list(): Promise<Digest[]> {
    const visible = [...this.shared.keys()].filter((d) => !this.hidden.has(d));
    return [...new Set([...(await this.own.list()), ...visible])].sort();
  }
}
