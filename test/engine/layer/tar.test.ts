import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync, linkSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256 } from '../../../src/engine/digest.js';
import { ExternalContent, InvalidLayer } from '../../../src/engine/errors.js';
import { byPath, type Change } from '../../../src/engine/layer/change.js';
import { layerOf, layerSize, readLayerTar, writeLayerTar } from '../../../src/engine/layer/tar.js';
import { aDir, aFile, aLayer, aSymlink, aWhiteout, bytes, text } from '../../support/builders.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'layerlab-tar-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** GNU tar as the oracle: its verbose listing, in UTC, with numeric owners. */
function gnuList(tar: Uint8Array): string[] {
  const file = join(dir, 'layer.tar');
  writeFileSync(file, tar);
  return execFileSync('tar', ['--numeric-owner', '-tvf', file], { env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' } })
    .toString()
    .trimEnd()
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' '));
}

function gnuCreate(args: string[]): Uint8Array {
  const file = join(dir, 'made.tar');
  execFileSync('tar', ['-cf', file, ...args], { env: { ...process.env, LC_ALL: 'C' } });
  return new Uint8Array(readFileSync(file));
}

const layer: Change[] = [
  aDir('/etc'),
  aFile('/etc/passwd', 'root:x:0:0:root:/root:/bin/sh\n'),
  aWhiteout('/etc/shadow'),
  aDir('/var', { opaque: true }),
  aFile('/var/run.pid', '1\n', { mode: 0o600, uid: 1000, gid: 1000 }),
  aSymlink('/bin-sh', '/bin/busybox'),
  aDir('/tmp', { mode: 0o1777 }),
];

describe('writeLayerTar', () => {
  it('is read by GNU tar: relative names, tree order, mtime 0, numeric owners, whiteouts', () => {
    expect(gnuList(writeLayerTar(layer))).toEqual([
      'lrwxrwxrwx 0/0 0 1970-01-01 00:00 bin-sh -> /bin/busybox',
      'drwxr-xr-x 0/0 0 1970-01-01 00:00 etc/',
      '-rw-r--r-- 0/0 30 1970-01-01 00:00 etc/passwd',
      '-rw------- 0/0 0 1970-01-01 00:00 etc/.wh.shadow',
      'drwxrwxrwt 0/0 0 1970-01-01 00:00 tmp/',
      'drwxr-xr-x 0/0 0 1970-01-01 00:00 var/',
      '-rwxr-xr-x 0/0 0 1970-01-01 00:00 var/.wh..wh..opq',
      '-rw------- 1000/1000 2 1970-01-01 00:00 var/run.pid',
    ]);
  });

  it('gives the same bytes and diffID whatever the input order', () => {
    const a = layerOf(layer);
    const b = layerOf([...layer].reverse());
    expect(b.diffId).toBe(a.diffId);
    expect(b.tar).toEqual(a.tar);
    expect(a.diffId).toBe(sha256(a.tar));
  });

  it('writes SOURCE_DATE_EPOCH as every mtime', () => {
    const tar = writeLayerTar([aFile('/a', 'x')], { sourceDateEpoch: 1700000000 });
    expect(gnuList(tar)).toEqual(['-rw-r--r-- 0/0 1 2023-11-14 22:13 a']);
    expect(sha256(tar)).not.toBe(layerOf([aFile('/a', 'x')]).diffId);
  });

  it('orders a directory before its entries and siblings with lower characters after it', () => {
    const names = gnuList(writeLayerTar(aLayer({ '/a-c': 'x', '/a/b': 'y', '/a.d': 'z' }))).map((l) => l.split(' ').pop());
    expect(names).toEqual(['a/', 'a/b', 'a-c', 'a.d']);
  });

  it('ends with two zero blocks, in whole blocks, no record padding', () => {
    const tar = writeLayerTar([aFile('/f', 'hello')]);
    expect(tar.length).toBe(512 + 512 + 1024);
    expect(tar.subarray(tar.length - 1024).every((b) => b === 0)).toBe(true);
    expect(writeLayerTar([]).length).toBe(1024);
    expect(writeLayerTar([aDir('/', { mode: 0o700 })])).toEqual(writeLayerTar([]));
  });

  it('uses PAX headers for long and non-ASCII names, long link targets and big ids', () => {
    const long = `/${'d'.repeat(120)}/${'f'.repeat(150)}`;
    const target = `/${'t'.repeat(200)}`;
    const changes = [
      aDir(long.slice(0, 121)),
      aFile(long, 'x', { uid: 3_000_000, gid: 4_000_000 }),
      aSymlink('/link', target),
      aFile('/한글.txt', '가'),
    ];
    const tar = writeLayerTar(changes);
    const listing = gnuList(tar);
    expect(listing).toContain(`-rw-r--r-- 3000000/4000000 1 1970-01-01 00:00 ${long.slice(1)}`);
    expect(listing).toContain(`lrwxrwxrwx 0/0 0 1970-01-01 00:00 link -> ${target}`);
    // GNU tar in the C locale prints the UTF-8 bytes of `한글` escaped.
    expect(listing).toContain('-rw-r--r-- 0/0 3 1970-01-01 00:00 \\355\\225\\234\\352\\270\\200.txt');
    expect(readLayerTar(tar)).toEqual([...changes].sort(byPath));
  });

  it('extracts with GNU tar to the files it describes', () => {
    const out = join(dir, 'out');
    mkdirSync(out);
    writeFileSync(join(dir, 'layer.tar'), writeLayerTar(layer));
    execFileSync('tar', ['-xf', join(dir, 'layer.tar'), '-C', out]);
    expect(readFileSync(join(out, 'etc/passwd'), 'utf8')).toBe('root:x:0:0:root:/root:/bin/sh\n');
    expect(readlinkSync(join(out, 'bin-sh'))).toBe('/bin/busybox');
    expect(lstatSync(join(out, 'tmp')).mode & 0o7777).toBe(0o1777);
    expect(lstatSync(join(out, 'etc/.wh.shadow')).size).toBe(0);
  });

  it('refuses external content with a typed error', () => {
    const external: Change = {
      kind: 'file',
      path: '/bin/busybox',
      mode: 0o755,
      uid: 0,
      gid: 0,
      content: { type: 'external', size: 10, digest: sha256('x') },
    };
    expect(() => writeLayerTar([external])).toThrow(ExternalContent);
  });

  it('refuses paths that are not absolute and normalised, duplicates and .wh. names', () => {
    expect(() => writeLayerTar([aFile('etc/passwd')])).toThrow(InvalidLayer);
    expect(() => writeLayerTar([aFile('/etc/../passwd')])).toThrow(InvalidLayer);
    expect(() => writeLayerTar([aFile('/a'), aFile('/a')])).toThrow(InvalidLayer);
    expect(() => writeLayerTar([aFile('/.wh.a')])).toThrow(InvalidLayer);
  });
});

describe('readLayerTar', () => {
  it('round-trips files, modes, owners, symlinks, whiteouts and opaque dirs', () => {
    expect(readLayerTar(writeLayerTar(layer))).toEqual([...layer].sort(byPath));
  });

  it('reads what GNU tar writes from a directory, `./` prefixes and all', () => {
    mkdirSync(join(dir, 'root/etc'), { recursive: true });
    writeFileSync(join(dir, 'root/etc/motd'), 'hi\n');
    chmodSync(join(dir, 'root/etc/motd'), 0o640);
    symlinkSync('motd', join(dir, 'root/etc/issue'));
    writeFileSync(join(dir, 'root/etc/.wh.hosts'), '');
    writeFileSync(join(dir, 'root/etc/.wh..wh..opq'), '');
    const changes = readLayerTar(gnuCreate(['-C', join(dir, 'root'), '--owner=0', '--group=0', '.']));
    expect(changes.map((c) => [c.kind, c.path])).toEqual([
      ['dir', '/etc'],
      ['whiteout', '/etc/hosts'],
      ['symlink', '/etc/issue'],
      ['file', '/etc/motd'],
    ]);
    expect(changes[0]).toMatchObject({ opaque: true, uid: 0, gid: 0 });
    expect(changes[3]).toMatchObject({ mode: 0o640, content: { type: 'bytes', bytes: bytes('hi\n') } });
    expect(changes[2]).toMatchObject({ target: 'motd' });
  });

  it.each(['gnu', 'pax', 'ustar', 'oldgnu'])('reads long names in --format=%s', (format) => {
    // ustar splits a name into a 155-byte prefix and a 100-byte name; the others go further.
    const deep = ['a'.repeat(60), 'b'.repeat(60), format === 'ustar' ? 'c' : 'c'.repeat(60)].join('/');
    mkdirSync(join(dir, 'root', deep), { recursive: true });
    writeFileSync(join(dir, 'root', deep, 'f'.repeat(90)), 'long');
    if (format !== 'ustar') symlinkSync('x'.repeat(150), join(dir, 'root/l'));
    const changes = readLayerTar(gnuCreate([`--format=${format}`, '-C', join(dir, 'root'), '.']));
    const file = changes.find((c) => c.kind === 'file');
    expect(file?.path).toBe(`/${deep}/${'f'.repeat(90)}`);
    if (file?.kind === 'file' && file.content.type === 'bytes') expect(text(file.content.bytes)).toBe('long');
    if (format !== 'ustar') expect(changes.find((c) => c.path === '/l')).toMatchObject({ kind: 'symlink', target: 'x'.repeat(150) });
  });

  it('turns a hard link into a copy of its target', () => {
    mkdirSync(join(dir, 'root/bin'), { recursive: true });
    writeFileSync(join(dir, 'root/bin/busybox'), 'ELF');
    chmodSync(join(dir, 'root/bin/busybox'), 0o755);
    linkSync(join(dir, 'root/bin/busybox'), join(dir, 'root/bin/sh'));
    const changes = readLayerTar(gnuCreate(['-C', join(dir, 'root'), 'bin']));
    expect(changes.find((c) => c.path === '/bin/sh')).toMatchObject({ kind: 'file', mode: 0o755, content: { type: 'bytes', bytes: bytes('ELF') } });
  });

  it('drops fifos and device nodes', () => {
    mkdirSync(join(dir, 'root'));
    execFileSync('mkfifo', [join(dir, 'root/fifo')]);
    writeFileSync(join(dir, 'root/kept'), 'k');
    const args = ['-C', join(dir, 'root'), 'fifo', 'kept'];
    if (process.getuid?.() === 0) {
      execFileSync('mknod', [join(dir, 'root/null'), 'c', '1', '3']);
      args.push('null');
    }
    expect(readLayerTar(gnuCreate(args)).map((c) => c.path)).toEqual(['/kept']);
  });

  it('keeps the last entry for a path, and a file replacing a dir takes its entries', () => {
    const first = writeLayerTar(aLayer({ '/a/b': 'old', '/c': 'x' }));
    const second = writeLayerTar([aFile('/a', 'new')]);
    const joined = new Uint8Array(first.length - 1024 + second.length);
    joined.set(first.subarray(0, first.length - 1024));
    joined.set(second, first.length - 1024);
    expect(readLayerTar(joined).map((c) => [c.kind, c.path])).toEqual([
      ['file', '/a'],
      ['file', '/c'],
    ]);
  });

  it("takes a directory's entries each time a file replaces it, however often the path changes kind", () => {
    // Entries in the order a tool wrote them, not tree order: one tar per entry, joined.
    const parts = [[aFile('/a/b/c/x', 'x')], [aFile('/a/b', 'file')], [aDir('/a/b')], [aFile('/a/b/c/y', 'y')], [aFile('/a/b', 'file again')]].map(
      (e) => writeLayerTar(e),
    );
    const joined = new Uint8Array(parts.reduce((n, t) => n + t.length - 1024, 1024));
    let off = 0;
    for (const t of parts) {
      joined.set(t.subarray(0, t.length - 1024), off);
      off += t.length - 1024;
    }
    expect(readLayerTar(joined).map((c) => [c.kind, c.path])).toEqual([['file', '/a/b']]);
  });

  it('refuses names escaping the root, bad checksums and truncated entries', () => {
    const tar = writeLayerTar([aFile('/f', 'x'.repeat(600))]);
    const escaping = writeLayerTar([aFile('/f', 'x')]);
    escaping.set(bytes('../../etc/x\0'), 0);
    expect(() => readLayerTar(escaping)).toThrow(InvalidLayer);
    const corrupt = tar.slice();
    corrupt[0] = 'g'.charCodeAt(0);
    expect(() => readLayerTar(corrupt)).toThrow(/checksum/);
    expect(() => readLayerTar(tar.subarray(0, 1024))).toThrow(/truncated/);
  });
});

describe('layerSize', () => {
  it("counts what Docker's directory.Size counts: file bytes and symlink targets", () => {
    expect(layerSize([aDir('/d'), aFile('/d/f', '12345'), aSymlink('/l', '/bin/busybox'), aWhiteout('/gone')])).toBe(5 + 12);
    expect(layerOf([aFile('/f', 'abc')]).size).toBe(3);
  });
});
