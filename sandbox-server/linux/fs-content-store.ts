import { mkdir, open, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { BlobRange, ContentStore } from '../../src/engine/drivers/content-store.js';
import { hex, isDigest, type Digest } from '../../src/engine/digest.js';
import { Sha256Stream, sha256Chunks } from '../../src/engine/digest-stream.js';
import { asNoSpace } from './no-space.js';
import { readChunks, writeChunks } from './file-chunks.js';
import { BlobNotFound, DigestMismatch } from '../../src/engine/errors.js';

/**
 * The OCI image layout's blob store on disk: `<root>/blobs/sha256/<hex>`. A blob appears
 * whole or not at all (written to a temp file in the same directory, fsynced, renamed),
 * and its name is the digest of the bytes that were actually written.
 */
export class FsContentStore implements ContentStore {
  private readonly dir: string;

  constructor(readonly root: string) {
    this.dir = join(root, 'blobs', 'sha256');
  }

  private path(digest: Digest): string {
    return join(this.dir, hex(digest));
  }

  async put(bytes: Uint8Array, expected?: Digest): Promise<Digest> {
    const digest = await sha256Chunks(bytes);
    if (expected !== undefined && expected !== digest) {
      throw new DigestMismatch(`unexpected digest: expected ${expected}, got ${digest}`, { expected, actual: digest });
    }
    if (await this.stat(digest)) return digest;
    await this.write(digest, [bytes], () => digest);
    return digest;
  }

  async putStream(chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>, expected?: Digest): Promise<{ digest: Digest; created: boolean }> {
    const hash = new Sha256Stream();
    const hashed = (async function* () {
      for await (const c of chunks) {
        await hash.update(c);
        yield c;
      }
    })();
    let created = true;
    const digest = await this.write(expected, hashed, async () => {
      const actual = hash.digest();
      if (expected !== undefined && expected !== actual) {
        throw new DigestMismatch(`unexpected digest: expected ${expected}, got ${actual}`, { expected, actual });
      }
      created = !(await this.stat(actual));
      return actual;
    });
    return { digest, created };
  }

  /**
   * Writes chunks to a temp file (`writeChunks`), fsyncs it, and
   * renames it to the digest `name()` gives once they are all written. Whatever fails —
   * a full disk above all — the temp file goes: a failed put holds none of the quota.
   */
  private async write(
    hint: Digest | undefined,
    chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
    name: () => Digest | Promise<Digest>,
  ): Promise<Digest> {
    await mkdir(this.dir, { recursive: true });
    const tmp = join(this.dir, `.tmp-${hint ? hex(hint).slice(0, 12) : 'stream'}-${randomBytes(6).toString('hex')}`);
    try {
      const file = await open(tmp, 'wx', 0o644);
      try {
        await writeChunks(file, chunks);
        await file.sync();
      } finally {
        await file.close();
      }
      const digest = await name();
      if (await this.stat(digest)) await rm(tmp, { force: true });
      else await rename(tmp, this.path(digest));
      return digest;
    } catch (error) {
      await rm(tmp, { force: true });
      throw asNoSpace(error);
    }
  }

  async get(digest: Digest): Promise<Uint8Array> {
    try {
      return new Uint8Array(await readFile(this.path(digest)));
    } catch (error) {
      if (isNotFound(error)) throw new BlobNotFound(`blob ${digest} not found`, { digest });
      throw error;
    }
  }

  open(digest: Digest, range?: BlobRange): AsyncIterable<Uint8Array> {
    return openBlob(this.path(digest), digest, range);
  }

  async stat(digest: Digest): Promise<{ digest: Digest; size: number } | undefined> {
    try {
      const s = await stat(this.path(digest));
      return { digest, size: s.size };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async delete(digest: Digest): Promise<void> {
    await rm(this.path(digest), { force: true });
  }

  async list(): Promise<Digest[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if (isNotFound(error)) return [];
      throw error;
    }
    // Temp files of interrupted writes start with a dot and are never blobs.
    return names
      .map((n) => `sha256:${n}`)
      .filter(isDigest)
      .sort();
  }
}

export function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

/** A blob file's bytes by chunks (`readChunks`); `BlobNotFound` when it is not there. */
export async function* openBlob(path: string, digest: Digest, range?: BlobRange): AsyncGenerator<Uint8Array> {
  let file;
  try {
    file = await open(path, 'r');
  } catch (error) {
    if (isNotFound(error)) throw new BlobNotFound(`blob ${digest} not found`, { digest });
    throw error;
  }
  try {
    yield* readChunks(file, range);
  } finally {
    await file.close();
  }
}
