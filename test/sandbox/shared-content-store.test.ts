import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contentStoreContract } from '../contract/content-store.contract.js';
import { FsContentStore } from '../../sandbox-server/linux/fs-content-store.js';
import { SharedBaseContentStore } from '../../sandbox-server/linux/shared-content-store.js';
import { sha256, type Digest } from '../../src/engine/digest.js';
import { BlobNotFound } from '../../src/engine/errors.js';

const roots: string[] = [];
afterAll(async () => {
  for (const r of roots) await rm(r, { recursive: true, force: true });
});
const dir = async () => {
  const d = await mkdtemp(join(tmpdir(), 'layerlab-shared-cas-'));
  roots.push(d);
  return d;
};

/** The base layer's tar, written once as setup does. */
async function aBaseBlob(): Promise<{ digest: Digest; path: string; shared: Map<Digest, string> }> {
  const path = join(await dir(), 'base.tar');
  await writeFile(path, 'busybox layer');
  const digest = sha256('busybox layer');
  return { digest, path, shared: new Map([[digest, path]]) };
}

// The contract starts from an empty store: a session that has removed the base image.
contentStoreContract('session over shared base blobs', async () => {
  const base = await aBaseBlob();
  const store = new SharedBaseContentStore(new FsContentStore(await dir()), base.shared);
  await store.delete(base.digest);
  return store;
});

describe('a session’s blobs over the shared base blobs', () => {
  it('every session sees the base blob without a copy of it', async () => {
    const base = await aBaseBlob();
    const own = new FsContentStore(await dir());
    const session = new SharedBaseContentStore(own, base.shared);
    expect(await session.stat(base.digest)).toEqual({ digest: base.digest, size: 13 });
    expect(new TextDecoder().decode(await session.get(base.digest))).toBe('busybox layer');
    expect(await session.list()).toEqual([base.digest]);
    // Putting it (as loading the base image does) writes nothing of its own.
    await session.put(new TextEncoder().encode('busybox layer'), base.digest);
    expect(await own.list()).toEqual([]);
  });

  it('one session deleting it hides it from that session only; the shared file stays; putting it back shows it', async () => {
    const base = await aBaseBlob();
    const a = new SharedBaseContentStore(new FsContentStore(await dir()), base.shared);
    const b = new SharedBaseContentStore(new FsContentStore(await dir()), base.shared);
    await a.delete(base.digest);
    expect(await a.stat(base.digest)).toBeUndefined();
    await expect(a.get(base.digest)).rejects.toBeInstanceOf(BlobNotFound);
    expect(await a.list()).toEqual([]);
    expect(await b.stat(base.digest)).toEqual({ digest: base.digest, size: 13 });
    expect(await readFile(base.path, 'utf8')).toBe('busybox layer');
    await a.put(new TextEncoder().encode('busybox layer'));
    expect(await a.list()).toEqual([base.digest]);
  });

  it('keeps what a session puts to that session, never in the shared dir', async () => {
    const base = await aBaseBlob();
    const a = new SharedBaseContentStore(new FsContentStore(await dir()), base.shared);
    const b = new SharedBaseContentStore(new FsContentStore(await dir()), base.shared);
    const mine = await a.put(new TextEncoder().encode('a learner layer'));
    expect(await a.list()).toEqual([base.digest, mine].sort());
    expect(await b.stat(mine)).toBeUndefined();
    expect(await readdir(join(base.path, '..'))).toEqual(['base.tar']);
  });
});
