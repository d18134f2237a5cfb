import { describe, expect, it } from 'vitest';
import type { VolumeStore } from '../../src/engine/drivers/volume-store.js';

/** A store, and a way to put a file in a volume as a container would (through its mount source). */
export interface VolumeStoreFixture {
  store: VolumeStore;
  write(source: string, name: string, bytes: Uint8Array): Promise<void>;
  read(source: string, name: string): Promise<Uint8Array | undefined>;
}

/**
 * What every VolumeStore promises the engine: a volume's directory is made once and kept
 * (a second create is the same volume, its files still there), each name has its own,
 * remove takes the files with it, and size counts what it holds. Only the interface is
 * used, so the simulator's memory and a session's directories run it unchanged.
 */
export function volumeStoreContract(name: string, make: () => Promise<VolumeStoreFixture>): void {
  describe(`VolumeStore contract: ${name}`, () => {
    it('creates an empty volume once: a second create gives the same source with the files still in it', async () => {
      const { store, write, read } = await make();
      const source = await store.create('data');
      expect(await store.size('data')).toBe(0);
      await write(source, 'note', new TextEncoder().encode('kept'));
      expect(await store.create('data')).toBe(source);
      expect(new TextDecoder().decode(await read(source, 'note'))).toBe('kept');
      expect(await store.size('data')).toBe(4);
    });

    it('gives each name its own directory: a file in one is not in another', async () => {
      const { store, write, read } = await make();
      const a = await store.create('aa');
      const b = await store.create('bb');
      expect(a).not.toBe(b);
      await write(a, 'only-a', new Uint8Array([1, 2, 3]));
      expect(await read(b, 'only-a')).toBeUndefined();
      expect(await store.size('bb')).toBe(0);
      expect(await store.list()).toEqual(['aa', 'bb']);
    });

    it('removes a volume with its files; removing it again, or a name never made, is no error', async () => {
      const { store, write } = await make();
      const source = await store.create('gone');
      await write(source, 'f', new Uint8Array(10));
      await store.remove('gone');
      expect(await store.list()).toEqual([]);
      expect(await store.size('gone')).toBe(0);
      await store.remove('gone');
      await store.remove('never');
      // Made again, it is empty: nothing of the old one comes back.
      await store.create('gone');
      expect(await store.size('gone')).toBe(0);
    });

    it('populates only a volume that holds nothing: the entries written once, a held volume left as it is', async () => {
      const { store, read, write } = await make();
      const source = await store.create('pop');
      const meta = { mode: 0o644, uid: 0, gid: 0 };
      const entries = [
        { kind: 'dir' as const, path: '/sub', mode: 0o755, uid: 0, gid: 0 },
        { kind: 'file' as const, path: '/sub/f', ...meta, content: { type: 'bytes' as const, bytes: new TextEncoder().encode('from image') } },
      ];
      expect(await store.populate('pop', { mode: 0o755, uid: 0, gid: 0 }, entries)).toBe(true);
      expect(new TextDecoder().decode(await read(source, 'sub/f'))).toBe('from image');
      expect(await store.size('pop')).toBe(10);
      const held = await store.create('held');
      await write(held, 'mine', new TextEncoder().encode('x'));
      expect(await store.populate('held', { mode: 0o755, uid: 0, gid: 0 }, entries)).toBe(false);
      expect(await read(held, 'sub/f')).toBeUndefined();
      expect(await store.size('held')).toBe(1);
    });

    it('lists names sorted', async () => {
      const { store } = await make();
      for (const n of ['zz', 'a1', 'm.m']) await store.create(n);
      expect(await store.list()).toEqual(['a1', 'm.m', 'zz']);
    });
  });
}
