import { describe, expect, it } from 'vitest';
import type { Workspace, WorkspaceEntry } from '../../src/engine/drivers/workspace.js';
import { SLICE_BYTES } from '../../src/engine/digest-stream.js';
import { concatBytes } from '../../src/engine/format/concat-bytes.js';
import { bytes } from '../support/builders.js';

const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b));
async function collect(chunks: AsyncIterable<Uint8Array>): Promise<{ chunks: Uint8Array[]; bytes: Uint8Array }> {
  const all: Uint8Array[] = [];
  for await (const c of chunks) all.push(c.slice());
  return { chunks: all, bytes: concatBytes(all) };
}
/** The files of a listing: the directory workspaces also list their dirs, the memory one has none. */
const files = (entries: WorkspaceEntry[]) => entries.filter((e) => e.kind === 'file');

/**
 * What every Workspace promises the engine (`docker build`'s context, `save -o` streamed
 * or whole, `load -i`, OCI layout dirs): files by paths relative to its root, read back as written, listed
 * sorted. Uses only the interface, so every implementation runs it unchanged — the
 * simulator's memory, a session's directory, the CLI's export capture.
 */
export function workspaceContract(name: string, make: () => Promise<Workspace>): void {
  describe(`Workspace contract: ${name}`, () => {
    it('reads an absent file as undefined', async () => {
      const ws = await make();
      expect(await ws.read('Dockerfile')).toBeUndefined();
      expect(await ws.read('no/such/dir/file')).toBeUndefined();
    });

    it('gives back the bytes written, every byte value and an empty file too', async () => {
      const ws = await make();
      const all = Uint8Array.from({ length: 256 }, (_, i) => i);
      await ws.write('blob.bin', all);
      await ws.write('empty', new Uint8Array(0));
      expect(await ws.read('blob.bin')).toEqual(all);
      expect(await ws.read('empty')).toEqual(new Uint8Array(0));
    });

    it('opens a file to read by ranges (load -i): its size, its bytes by bounded chunks, a range of them, fewer past the end', async () => {
      const ws = await make();
      // Two slices and a bit: the chunks a large archive is read by.
      const big = new Uint8Array(2 * SLICE_BYTES + 3);
      for (let i = 0; i < big.length; i++) big[i] = (i * 7) & 0xff;
      await ws.write('dir/big.tar', big);
      const file = await ws.open('dir/big.tar');
      expect(file?.size).toBe(big.length);
      const whole = await collect(file!.chunks());
      expect(whole.chunks.every((c) => c.length <= SLICE_BYTES)).toBe(true);
      // Compared as buffers: a deep equality of 8 MiB runs for minutes.
      expect(Buffer.compare(whole.bytes, big)).toBe(0);
      const offset = SLICE_BYTES - 5;
      expect((await collect(file!.chunks({ offset, length: 10 }))).bytes).toEqual(big.subarray(offset, offset + 10));
      expect((await collect(file!.chunks({ offset: big.length - 2, length: 10 }))).bytes).toEqual(big.subarray(big.length - 2));
      expect((await collect(file!.chunks({ offset: big.length + 9, length: 10 }))).bytes).toEqual(new Uint8Array(0));
      await ws.write('empty', new Uint8Array(0));
      expect((await ws.open('empty'))?.size).toBe(0);
    });

    it('opens nothing where read finds nothing: an absent file, a directory; a name that climbs out is refused as read refuses it', async () => {
      const ws = await make();
      await ws.write('layout/index.json', bytes('{}'));
      expect(await ws.open('nothing.tar')).toBeUndefined();
      expect(await ws.open('layout')).toBeUndefined();
      expect(await ws.open('layout/index.json/x')).toBeUndefined();
      for (const path of ['../x', 'a/../../x'])
        await expect(ws.open(path), path).rejects.toMatchObject({
          code: 'WORKSPACE_PATH',
          message: `invalid path ${JSON.stringify(path)}: it must name a file in the workspace`,
        });
    });

    it('replaces a file on a second write, a shorter one leaving nothing of the first', async () => {
      const ws = await make();
      await ws.write('out.tar', bytes('a long first archive'));
      await ws.write('out.tar', bytes('short'));
      expect(text(await ws.read('out.tar'))).toBe('short');
      expect(files(await ws.list())).toEqual([expect.objectContaining({ path: 'out.tar', size: 5 })]);
    });

    it('writes below directories that do not exist yet (an OCI layout dir, a nested save -o)', async () => {
      const ws = await make();
      await ws.write('layout/blobs/sha256/abc', bytes('blob'));
      expect(text(await ws.read('layout/blobs/sha256/abc'))).toBe('blob');
      expect(files(await ws.list()).map((e) => e.path)).toEqual(['layout/blobs/sha256/abc']);
    });

    it('writes a file that arrives in chunks, from a sync or an async source, below new directories', async () => {
      const ws = await make();
      await ws.writeStream('saved/a.tar', [bytes('one '), new Uint8Array(0), bytes('two')]);
      async function* pieces() {
        yield bytes('three ');
        yield bytes('four');
      }
      await ws.writeStream('b.tar', pieces());
      expect(text(await ws.read('saved/a.tar'))).toBe('one two');
      expect(text(await ws.read('b.tar'))).toBe('three four');
      await ws.writeStream('b.tar', [bytes('5')]);
      expect(text(await ws.read('b.tar'))).toBe('5');
    });

    it('leaves nothing of a streamed write whose source fails: no new file, a replaced one as it was', async () => {
      const ws = await make();
      await ws.write('kept.tar', bytes('the old archive'));
      async function* broken() {
        yield bytes('half an archive');
        throw new Error('layer digest mismatch');
      }
      await expect(ws.writeStream('new.tar', broken())).rejects.toThrow('layer digest mismatch');
      await expect(ws.writeStream('kept.tar', broken())).rejects.toThrow('layer digest mismatch');
      expect(await ws.read('new.tar')).toBeUndefined();
      expect(text(await ws.read('kept.tar'))).toBe('the old archive');
      expect((await ws.list()).map((e) => e.path)).toEqual(['kept.tar']);
    });

    it('lists every file once, by its path from the root, sorted by code unit, with its size and permission bits only', async () => {
      const ws = await make();
      for (const path of ['b.txt', 'a/z.txt', 'a-b', 'A.txt', 'a/b/c.txt']) await ws.write(path, bytes(path));
      const listed = files(await ws.list());
      // '-' sorts before '/', and capitals before lower case: plain code-unit order, as the build context's walk expects.
      expect(listed.map((e) => e.path)).toEqual(['A.txt', 'a-b', 'a/b/c.txt', 'a/z.txt', 'b.txt']);
      for (const e of listed) {
        expect(e.size).toBe(e.path.length);
        expect(e.mode & ~0o7777).toBe(0);
        expect(e.mode & 0o600).toBe(0o600);
      }
      const all = await ws.list();
      expect(all.map((e) => e.path)).toEqual([...all.map((e) => e.path)].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
    });

    it('writes a file that arrives in chunks (save -o), replacing the one there', async () => {
      const ws = await make();
      await ws.write('out/image.tar', bytes('an older, longer archive'));
      async function* pieces() {
        yield bytes('an ');
        yield new Uint8Array(0);
        yield bytes('archive');
      }
      await ws.writeStream('out/image.tar', pieces());
      await ws.writeStream('nested/new.tar', [bytes('new')]);
      expect(text(await ws.read('out/image.tar'))).toBe('an archive');
      expect(text(await ws.read('nested/new.tar'))).toBe('new');
      expect(files(await ws.list()).map((e) => e.path)).toEqual(['nested/new.tar', 'out/image.tar']);
    });

    it('leaves nothing of a streamed write whose source fails, and keeps the file it would have replaced', async () => {
      const ws = await make();
      await ws.write('kept.tar', bytes('the last good save'));
      async function* broken() {
        yield bytes('half an archive');
        throw new Error('layer failed its diffID');
      }
      await expect(ws.writeStream('kept.tar', broken())).rejects.toThrow('layer failed its diffID');
      await expect(ws.writeStream('fresh.tar', broken())).rejects.toThrow('layer failed its diffID');
      expect(text(await ws.read('kept.tar'))).toBe('the last good save');
      expect(await ws.read('fresh.tar')).toBeUndefined();
      expect((await ws.list()).map((e) => e.path)).toEqual(['kept.tar']);
    });

    it('refuses a name that climbs out of the root, reading, writing or streaming, in the same words, and writes nothing', async () => {
      const ws = await make();
      const refused = (path: string, use: 'read' | 'write') => ({
        code: 'WORKSPACE_PATH',
        message: `invalid ${use === 'write' ? 'output ' : ''}path ${JSON.stringify(path)}: it must name a file in the workspace`,
      });
      for (const path of ['../x', 'a/../../x', './../x', '..']) {
        await expect(ws.read(path), path).rejects.toMatchObject(refused(path, 'read'));
        await expect(ws.write(path, bytes('out')), path).rejects.toMatchObject(refused(path, 'write'));
        await expect(ws.writeStream(path, [bytes('out')]), path).rejects.toMatchObject(refused(path, 'write'));
      }
      await expect(ws.write('a\0b', bytes('out'))).rejects.toMatchObject({ code: 'WORKSPACE_PATH' });
      expect(await ws.list('..')).toEqual([]);
      expect(await ws.list('../x')).toEqual([]);
      expect(await ws.list()).toEqual([]);
    });

    it('resolves `.` and a `..` that stays inside by name, as a directory does: ./d/../b.txt is b.txt', async () => {
      const ws = await make();
      await ws.write('./d/../b.txt', bytes('one'));
      expect(text(await ws.read('b.txt'))).toBe('one');
      await ws.writeStream('b.txt', [bytes('two')]);
      expect(text(await ws.read('./x/../b.txt'))).toBe('two');
      expect(files(await ws.list()).map((e) => e.path)).toEqual(['b.txt']);
      await ws.write('app/main.go', bytes('go'));
      expect(files(await ws.list('./app/')).map((e) => e.path)).toEqual(['app/main.go']);
      expect(files(await ws.list('app/../app')).map((e) => e.path)).toEqual(['app/main.go']);
    });

    it('lists below a directory only what is in it, still by paths from the root', async () => {
      const ws = await make();
      for (const path of ['app/main.go', 'app/lib/util.go', 'apple', 'Dockerfile']) await ws.write(path, bytes(path));
      const below = await ws.list('app');
      expect(files(below).map((e) => e.path)).toEqual(['app/lib/util.go', 'app/main.go']);
      for (const e of below) expect(e.path.startsWith('app/')).toBe(true);
      expect(await ws.list('nothing-here')).toEqual([]);
    });
  });
}
