import { describe, expect, it } from 'vitest';
import type { ContentStore } from '../../src/engine/drivers/content-store.js';
import { sha256 } from '../../src/engine/digest.js';
import { SLICE_BYTES } from '../../src/engine/digest-stream.js';
import { BlobNotFound, DigestMismatch } from '../../src/engine/errors.js';
import { bytes } from '../support/builders.js';

/**
 * What every ContentStore promises (umoci's CAS): blobs named by the sha256 of their
 * bytes. Uses only the interface, so every backend runs it unchanged.
 */
export function contentStoreContract(name: string, make: () => Promise<ContentStore>): void {
  describe(`ContentStore contract: ${name}`, () => {
    it('names a blob by the sha256 of its bytes and gives the bytes back', async () => {
      const store = await make();
      const digest = await store.put(bytes('hello layer'));
      expect(digest).toBe(sha256('hello layer'));
      expect(await store.get(digest)).toEqual(bytes('hello layer'));
      expect(await store.stat(digest)).toEqual({ digest, size: 11 });
    });

    it('stores an empty blob', async () => {
      const store = await make();
      const digest = await store.put(new Uint8Array(0));
      expect(digest).toBe('sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
      expect(await store.get(digest)).toEqual(new Uint8Array(0));
      expect(await store.stat(digest)).toEqual({ digest, size: 0 });
    });

    it('treats putting the same bytes again as a no-op', async () => {
      const store = await make();
      const a = await store.put(bytes('same'));
      const b = await store.put(bytes('same'));
      expect(b).toBe(a);
      expect(await store.list()).toEqual([a]);
    });

    it('accepts bytes matching the expected digest', async () => {
      const store = await make();
      expect(await store.put(bytes('config'), sha256('config'))).toBe(sha256('config'));
    });

    it('rejects bytes that do not match the expected digest and stores nothing', async () => {
      const store = await make();
      await expect(store.put(bytes('tampered'), sha256('original'))).rejects.toBeInstanceOf(DigestMismatch);
      expect(await store.stat(sha256('tampered'))).toBeUndefined();
      expect(await store.list()).toEqual([]);
    });

    it('stores a blob that arrives in chunks, named by the sha256 of them all; says whether it made it', async () => {
      const store = await make();
      async function* pieces() {
        yield bytes('hello ');
        yield new Uint8Array(0);
        yield bytes('layer');
      }
      expect(await store.putStream(pieces())).toEqual({ digest: sha256('hello layer'), created: true });
      expect(await store.get(sha256('hello layer'))).toEqual(bytes('hello layer'));
      expect(await store.putStream([bytes('hello layer')], sha256('hello layer'))).toEqual({ digest: sha256('hello layer'), created: false });
      expect(await store.list()).toEqual([sha256('hello layer')]);
    });

    it('leaves nothing of a streamed blob that fails: a wrong digest, or a source that breaks', async () => {
      const store = await make();
      await expect(store.putStream([bytes('tampered')], sha256('original'))).rejects.toBeInstanceOf(DigestMismatch);
      async function* broken() {
        yield bytes('half a layer');
        throw new Error('source failed');
      }
      await expect(store.putStream(broken())).rejects.toThrow('source failed');
      expect(await store.list()).toEqual([]);
    });

    it('reports an absent blob: BlobNotFound from get, undefined from stat', async () => {
      const store = await make();
      await expect(store.get(sha256('absent'))).rejects.toBeInstanceOf(BlobNotFound);
      expect(await store.stat(sha256('absent'))).toBeUndefined();
    });

    it('deletes a blob, and deleting an absent blob is a no-op', async () => {
      const store = await make();
      const digest = await store.put(bytes('doomed'));
      await store.delete(digest);
      await expect(store.get(digest)).rejects.toBeInstanceOf(BlobNotFound);
      await store.delete(digest);
      expect(await store.list()).toEqual([]);
    });

    it('lists every digest, sorted', async () => {
      const store = await make();
      const digests = await Promise.all(['one', 'two', 'three', 'four'].map((s) => store.put(bytes(s))));
      expect(await store.list()).toEqual([...digests].sort());
    });

    it('keeps what it stored when the caller changes its arrays', async () => {
      const store = await make();
      const input = bytes('immutable');
      const digest = await store.put(input);
      input[0] = 0;
      const output = await store.get(digest);
      output[1] = 0;
      expect(await store.get(digest)).toEqual(bytes('immutable'));
    });

    it('reads a blob back by bounded chunks, the large layer of `docker save` never whole', async () => {
      const store = await make();
      const big = new Uint8Array(2 * SLICE_BYTES + 1000);
      for (let i = 0; i < big.length; i++) big[i] = i % 251;
      const digest = await store.put(big);
      const chunks: Uint8Array[] = [];
      for await (const c of store.open(digest)) chunks.push(c);
      expect(chunks.length).toBeGreaterThan(2);
      for (const c of chunks) expect(c.length).toBeLessThanOrEqual(SLICE_BYTES);
      expect(Buffer.concat(chunks).equals(Buffer.from(big))).toBe(true);
      // A chunk is the caller's: changing it changes nothing stored.
      chunks[0]![0] = 99;
      expect(sha256(await store.get(digest))).toBe(digest);
      const empty = await store.put(new Uint8Array(0));
      const none: Uint8Array[] = [];
      for await (const c of store.open(empty)) none.push(c);
      expect(Buffer.concat(none).length).toBe(0);
    });

    it('reads a range of a blob by bounded chunks: a file of a stored layer tar as it is unpacked', async () => {
      const store = await make();
      const big = new Uint8Array(2 * SLICE_BYTES + 1000).map((_, i) => i % 251);
      const digest = await store.put(big);
      const read = async (offset: number, length: number) => {
        const chunks: Uint8Array[] = [];
        for await (const c of store.open(digest, { offset, length })) chunks.push(c);
        for (const c of chunks) expect(c.length).toBeLessThanOrEqual(SLICE_BYTES);
        return Buffer.concat(chunks);
      };
      expect((await read(SLICE_BYTES - 10, SLICE_BYTES + 20)).equals(Buffer.from(big.subarray(SLICE_BYTES - 10, 2 * SLICE_BYTES + 10)))).toBe(true);
      expect((await read(7, 0)).length).toBe(0);
      // Past the end: what there is.
      expect((await read(big.length - 5, 100)).equals(Buffer.from(big.subarray(big.length - 5)))).toBe(true);
    });

    it('refuses to open an absent blob: BlobNotFound', async () => {
      const store = await make();
      const pull = async () => {
        for await (const _ of store.open(sha256('absent'))) return;
      };
      await expect(pull()).rejects.toBeInstanceOf(BlobNotFound);
    });

    it('holds blobs of a layer tar size', async () => {
      const store = await make();
      const big = new Uint8Array(3 * 1024 * 1024).map((_, i) => i % 251);
      const digest = await store.put(big);
      expect(await store.stat(digest)).toEqual({ digest, size: big.length });
      expect(sha256(await store.get(digest))).toBe(digest);
    });
  });
}
