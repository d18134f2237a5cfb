import { mkdir, open, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ContentStore } from '../../src/engine/drivers/content-store.js';
import { hex, isDigest, sha256, type Digest } from '../../src/engine/digest.js';
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
    const digest = sha256(bytes);
    if (expected !== undefined && expected !== digest) {
      throw new DigestMismatch(`unexpected digest: expected ${expected}, got ${digest}`, { expected, actual: digest });
    }
    if (await this.stat(digest)) return digest;
    await mkdir(this.dir, { recursive: true });
    const tmp = join(this.dir, `.tmp-${hex(digest).slice(0, 12)}-${randomBytes(6).toString('hex')}`);
    const file = await open(tmp, 'wx', 0o644);
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    try {
      await rename(tmp, this.path(digest));
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
    return digest;
  }

  async get(digest: Digest): Promise<Uint8Array> {
    try {
      return new Uint8Array(await readFile(this.path(digest)));
    } catch (error) {
      if (isNotFound(error)) throw new BlobNotFound(`blob ${digest} not found`, { digest });
      throw error;
    }
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
    return names.map((n) => `sha256:${n}`).filter(isDigest).sort();
  }
}

export function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
