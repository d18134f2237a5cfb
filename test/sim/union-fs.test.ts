import { describe, expect, it } from 'vitest';
import type { Change } from '../../src/engine/layer/change.js';
import { sha256 } from '../../src/engine/digest.js';
import { MemorySnapshotter } from '../../src/sim/memory-snapshotter.js';
import { SimFsError, type SimFs } from '../../src/sim/sim-fs.js';
import { aDir, aFile, aLayer, aSymlink, aWhiteout, bytes, text } from '../support/builders.js';

const NOW = 1_700_000_000_000;

/** A container's view: the layers committed base first, an active snapshot on top. */
async function container(...layers: Change[][]) {
  let clock = NOW;
  const s = new MemorySnapshotter({ now: () => clock });
  let parent: string | undefined;
  for (const [i, changes] of layers.entries()) {
    await s.prepare(`l${i}-active`, parent);
    await s.apply(`l${i}-active`, changes);
    await s.commit(`l${i}`, `l${i}-active`);
    parent = `l${i}`;
  }
  const fs = s.fs(await s.prepare('c', parent));
  return {
    s,
    fs,
    changes: () => s.changes('c'),
    tick: (ms = 1000) => (clock += ms),
  };
}

function code(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof SimFsError) return e.code;
    throw e;
  }
  return 'no error';
}

const read = (fs: SimFs, path: string) => text(fs.readFile(path));

describe('union view: lookups', () => {
  it('sees the upper, then the lowers top-first, and merges directories', async () => {
    const { fs } = await container(aLayer({ '/etc/passwd': 'v1', '/etc/group': 'g' }), aLayer({ '/etc/passwd': 'v2', '/etc/motd': 'hi' }));
    fs.writeFile('/etc/hostname', bytes('box'));
    expect(read(fs, '/etc/passwd')).toBe('v2');
    expect(read(fs, '/etc/group')).toBe('g');
    expect(fs.readdir('/etc')).toEqual(['group', 'hostname', 'motd', 'passwd']);
    expect(fs.readdir('/')).toEqual(['etc']);
  });

  it('hides a path whited out in a higher layer, and everything below an opaque dir', async () => {
    const { fs } = await container(aLayer({ '/etc/shadow': 's', '/etc/passwd': 'p', '/var/log/old.log': 'old', '/var/log/keep/x': 'x' }), [
      aDir('/etc'),
      aWhiteout('/etc/shadow'),
      aDir('/var'),
      aDir('/var/log', { opaque: true }),
      aFile('/var/log/new.log', 'new'),
    ]);
    expect(fs.exists('/etc/shadow')).toBe(false);
    expect(code(() => fs.readFile('/etc/shadow'))).toBe('ENOENT');
    expect(fs.readdir('/etc')).toEqual(['passwd']);
    expect(fs.readdir('/var/log')).toEqual(['new.log']);
    expect(fs.exists('/var/log/keep/x')).toBe(false);
  });

  it('lets a file in a higher layer hide a dir below, and a dir above a file start afresh', async () => {
    const { fs } = await container(aLayer({ '/a/inner': 'i', '/b': 'file' }), [aFile('/a', 'now a file'), aDir('/b'), aFile('/b/x', 'x')]);
    expect(fs.stat('/a').type).toBe('file');
    expect(code(() => fs.readdir('/a'))).toBe('ENOTDIR');
    expect(code(() => fs.stat('/a/inner'))).toBe('ENOTDIR');
    expect(fs.readdir('/b')).toEqual(['x']);
  });

  it('stats like a real fs: dir size 4096, symlink size = target length', async () => {
    const { fs } = await container(aLayer({ '/d/sub1/f': 'x', '/d/file': 'abc', '/l': '-> /d/file' }));
    expect(fs.stat('/d')).toMatchObject({ type: 'dir', size: 4096, mode: 0o755 });
    expect(fs.lstat('/l')).toMatchObject({ type: 'symlink', size: 7, mode: 0o777, nlink: 1 });
    expect(fs.stat('/l')).toMatchObject({ type: 'file', size: 3 });
  });

  // Checked on Linux 6.18 with `mount -t overlay` of an upper and two lowers and `stat -c %h`.
  it("gives a merged dir nlink 1 and a dir of one layer alone that layer's 2 + subdirs, as overlayfs does", async () => {
    const { fs } = await container(aLayer({ '/both/k/f': 'x', '/only-low/x/f': 'x', '/only-low/y/f': 'y', '/opq/a/f': 'a' }), [
      aDir('/both'),
      aDir('/only-top'),
      aDir('/opq', { opaque: true }),
      aDir('/opq/b'),
      aDir('/opq/c'),
      aDir('/opq/d'),
    ]);
    fs.mkdir('/new');
    expect(fs.stat('/').nlink).toBe(1);
    expect(fs.stat('/both').nlink).toBe(1);
    expect(fs.stat('/only-low').nlink).toBe(4);
    expect(fs.stat('/only-top').nlink).toBe(2);
    // An opaque dir ends the merge: it is its layer's dir alone.
    expect(fs.stat('/opq').nlink).toBe(5);
    expect(fs.stat('/new').nlink).toBe(2);
    // A lower dir copied up (a file made in it) is merged from then on.
    fs.writeFile('/only-low/g', bytes('g'));
    expect(fs.stat('/only-low').nlink).toBe(1);
    // Removed and made again, it is opaque: the upper's dir alone.
    fs.unlink('/both/k/f');
    fs.rmdir('/both/k');
    fs.rmdir('/both');
    fs.mkdir('/both');
    expect(fs.stat('/both').nlink).toBe(2);
  });

  it('follows symlinks, relative and absolute, through `.` and `..`', async () => {
    const { fs } = await container(
      aLayer({
        '/bin/busybox': 'ELF',
        '/bin/sh': '-> busybox',
        '/usr/bin/env': '-> ../../bin/busybox',
        '/lib64': '-> /usr/lib',
        '/usr/lib/libc.so': 'c',
      }),
    );
    expect(read(fs, '/bin/sh')).toBe('ELF');
    expect(read(fs, '/usr/bin/env')).toBe('ELF');
    expect(read(fs, '/lib64/libc.so')).toBe('c');
    expect(fs.readlink('/bin/sh')).toBe('busybox');
    // Linux: `..` after a symlink is the parent of its target (/usr), not of the link.
    expect(fs.realpath('/lib64/./../bin/env')).toBe('/bin/busybox');
    expect(fs.realpath('/../..')).toBe('/');
    expect(fs.realpath('/usr/lib/..')).toBe('/usr');
    expect(code(() => fs.readlink('/bin/busybox'))).toBe('EINVAL');
    expect(code(() => fs.realpath('/bin/nope'))).toBe('ENOENT');
  });

  it('stops after 40 symlinks with ELOOP', async () => {
    const spec: Record<string, string> = { '/loop/a': '-> b', '/loop/b': '-> a', '/f': 'end' };
    for (let i = 0; i < 41; i++) spec[`/chain/${i}`] = i === 40 ? '-> /f' : `-> ${i + 1}`;
    const { fs } = await container(aLayer(spec));
    expect(code(() => fs.stat('/loop/a'))).toBe('ELOOP');
    expect(fs.lstat('/loop/a').type).toBe('symlink');
    expect(read(fs, '/chain/1')).toBe('end'); // 40 links
    expect(code(() => fs.readFile('/chain/0'))).toBe('ELOOP'); // 41 links
  });
});

describe('union view: copy-up', () => {
  it('copies the whole file and its parent dirs, with their metadata, on first write', async () => {
    const { fs, changes, s } = await container([
      aDir('/srv', { mode: 0o750, uid: 33, gid: 33 }),
      aDir('/srv/www'),
      aFile('/srv/www/index.html', 'hello', { uid: 33 }),
      aFile('/srv/www/other', 'o'),
    ]);
    fs.writeFile('/srv/www/index.html', bytes(' world'), { append: true });
    expect(read(fs, '/srv/www/index.html')).toBe('hello world');
    expect(await changes()).toEqual([
      aDir('/srv', { mode: 0o750, uid: 33, gid: 33 }),
      aDir('/srv/www'),
      aFile('/srv/www/index.html', 'hello world', { uid: 33 }),
    ]);
    // The lower layer is untouched.
    expect((await s.changes('l0')).find((c) => c.path === '/srv/www/index.html')).toEqual(aFile('/srv/www/index.html', 'hello', { uid: 33 }));
  });

  it('copies up on chmod, chown and utimes too, content and all', async () => {
    const { fs, changes } = await container(aLayer({ '/bin/tool': 'bytes', '/etc/conf': 'c', '/opt/x': 'x' }));
    fs.chmod('/bin/tool', 0o4755);
    fs.chown('/etc/conf', 1000, 1000);
    fs.utimes('/opt', 5000);
    expect(await changes()).toEqual([
      aDir('/bin'),
      aFile('/bin/tool', 'bytes', { mode: 0o4755 }),
      aDir('/etc'),
      aFile('/etc/conf', 'c', { uid: 1000, gid: 1000 }),
      aDir('/opt'),
    ]);
    expect(fs.stat('/opt').mtimeMs).toBe(5000);
    expect(fs.readdir('/opt')).toEqual(['x']);
  });

  it('does not copy up on reads', async () => {
    const { fs, changes } = await container(aLayer({ '/etc/passwd': 'p' }));
    fs.readFile('/etc/passwd');
    fs.stat('/etc/passwd');
    fs.readdir('/etc');
    expect(await changes()).toEqual([]);
  });

  it('keeps mtimes: new entries and their parent get now(), copied-up ancestors keep theirs', async () => {
    const { fs, tick } = await container(aLayer({ '/a/b/old': 'o' }));
    tick();
    fs.writeFile('/a/b/new', bytes('n'));
    expect(fs.stat('/a/b/new').mtimeMs).toBe(NOW + 1000);
    expect(fs.stat('/a/b').mtimeMs).toBe(NOW + 1000);
    expect(fs.stat('/a').mtimeMs).toBe(0); // the layer tar's mtime
    expect(fs.stat('/a/b/old').mtimeMs).toBe(0);
    tick();
    fs.writeFile('/a/b/old', bytes('changed'));
    expect(fs.stat('/a/b/old').mtimeMs).toBe(NOW + 2000);
  });

  it('writes through a symlink to its target, creating it if missing', async () => {
    const { fs, changes } = await container(aLayer({ '/etc/resolv.conf': '-> /run/resolv.conf', '/run': '/' }));
    fs.writeFile('/etc/resolv.conf', bytes('nameserver 1.1.1.1\n'));
    expect(await changes()).toEqual([aDir('/run'), aFile('/run/resolv.conf', 'nameserver 1.1.1.1\n')]);
  });

  it('creates files with the given mode (default 0644) and keeps an existing mode on truncate', async () => {
    const { fs } = await container(aLayer({ '/bin/x': 'x' }));
    fs.writeFile('/script', bytes('#!/bin/sh'), { mode: 0o755 });
    fs.writeFile('/plain', bytes(''));
    fs.chmod('/bin/x', 0o700);
    fs.writeFile('/bin/x', bytes('y'), { mode: 0o644 });
    expect(fs.stat('/script').mode).toBe(0o755);
    expect(fs.stat('/plain').mode).toBe(0o644);
    expect(fs.stat('/bin/x').mode).toBe(0o700);
  });
});

describe('union view: deletes, whiteouts and opaque dirs', () => {
  it('leaves a whiteout for a deleted lower path and nothing for an upper-only one', async () => {
    const { fs, changes } = await container(aLayer({ '/etc/passwd': 'p', '/etc/group': 'g' }));
    fs.unlink('/etc/passwd');
    fs.writeFile('/etc/tmpfile', bytes('t'));
    fs.unlink('/etc/tmpfile');
    expect(fs.exists('/etc/passwd')).toBe(false);
    expect(fs.readdir('/etc')).toEqual(['group']);
    expect(await changes()).toEqual([aDir('/etc'), aWhiteout('/etc/passwd')]);
  });

  it('replaces a whiteout when the path is written again', async () => {
    const { fs, changes } = await container(aLayer({ '/etc/passwd': 'p' }));
    fs.unlink('/etc/passwd');
    fs.writeFile('/etc/passwd', bytes('new'));
    expect(await changes()).toEqual([aDir('/etc'), aFile('/etc/passwd', 'new')]);
  });

  it('makes a dir removed and re-created opaque, hiding the lower contents', async () => {
    const { fs, changes } = await container(aLayer({ '/data/a': 'a', '/data/sub/b': 'b' }));
    expect(code(() => fs.rmdir('/data'))).toBe('ENOTEMPTY');
    fs.unlink('/data/a');
    fs.unlink('/data/sub/b');
    fs.rmdir('/data/sub');
    fs.rmdir('/data');
    expect(await changes()).toEqual([aWhiteout('/data')]);
    fs.mkdir('/data');
    expect(fs.readdir('/data')).toEqual([]);
    expect(await changes()).toEqual([aDir('/data', { opaque: true })]);
  });

  it('does not make a brand-new dir opaque', async () => {
    const { fs, changes } = await container(aLayer({ '/etc/passwd': 'p' }));
    fs.mkdir('/new', { mode: 0o700 });
    expect(await changes()).toEqual([aDir('/new', { mode: 0o700 })]);
  });

  it('removes symlinks themselves, not their targets', async () => {
    const { fs, changes } = await container(aLayer({ '/bin/busybox': 'ELF', '/bin/sh': '-> busybox' }));
    fs.unlink('/bin/sh');
    expect(fs.exists('/bin/busybox')).toBe(true);
    expect(await changes()).toEqual([aDir('/bin'), aWhiteout('/bin/sh')]);
  });

  it('reports POSIX errors', async () => {
    const { fs } = await container(aLayer({ '/etc/passwd': 'p', '/d/x': 'x' }));
    expect(code(() => fs.unlink('/nope'))).toBe('ENOENT');
    expect(code(() => fs.unlink('/etc'))).toBe('EISDIR');
    expect(code(() => fs.rmdir('/etc/passwd'))).toBe('ENOTDIR');
    expect(code(() => fs.mkdir('/etc'))).toBe('EEXIST');
    expect(code(() => fs.mkdir('/a/b'))).toBe('ENOENT');
    expect(code(() => fs.writeFile('/etc/passwd/x', bytes('')))).toBe('ENOTDIR');
    expect(code(() => fs.writeFile('/etc', bytes('')))).toBe('EISDIR');
    expect(code(() => fs.readFile('/etc'))).toBe('EISDIR');
    expect(code(() => fs.readdir('/etc/passwd'))).toBe('ENOTDIR');
    expect(code(() => fs.symlink('x', '/etc/passwd'))).toBe('EEXIST');
    expect(code(() => fs.stat('/etc/passwd/'))).toBe('ENOTDIR');
  });
});

describe('union view: rename', () => {
  it('moves a lower file by copying it up and leaving a whiteout', async () => {
    const { fs, changes } = await container(aLayer({ '/etc/motd': 'hi', '/tmp': '/' }));
    fs.rename('/etc/motd', '/tmp/motd');
    expect(read(fs, '/tmp/motd')).toBe('hi');
    expect(await changes()).toEqual([aDir('/etc'), aWhiteout('/etc/motd'), aDir('/tmp'), aFile('/tmp/motd', 'hi')]);
  });

  it('refuses to rename a dir with a lower part (EXDEV), but renames an upper-only dir', async () => {
    const { fs, changes } = await container(aLayer({ '/srv/a': 'a', '/old/x': 'x' }));
    expect(code(() => fs.rename('/srv', '/srv2'))).toBe('EXDEV');
    fs.mkdir('/new');
    fs.writeFile('/new/f', bytes('f'));
    fs.rename('/new', '/moved');
    expect(fs.readdir('/moved')).toEqual(['f']);
    // Moved onto a path a lower layer holds (here after deleting it), a dir turns opaque.
    fs.unlink('/old/x');
    fs.rmdir('/old');
    fs.rename('/moved', '/old');
    expect(fs.readdir('/old')).toEqual(['f']);
    expect(await changes()).toEqual([aDir('/old', { opaque: true }), aFile('/old/f', 'f')]);
  });

  it('replaces an existing file, and refuses dir/non-dir mixes and moves into itself', async () => {
    const { fs } = await container(aLayer({ '/a': 'a', '/b': 'b', '/d/x': 'x' }));
    fs.rename('/a', '/b');
    expect(read(fs, '/b')).toBe('a');
    expect(fs.exists('/a')).toBe(false);
    fs.mkdir('/e');
    expect(code(() => fs.rename('/b', '/e'))).toBe('EISDIR');
    expect(code(() => fs.rename('/e', '/b'))).toBe('ENOTDIR');
    expect(code(() => fs.rename('/e', '/d'))).toBe('ENOTEMPTY');
    expect(code(() => fs.rename('/e', '/e/sub'))).toBe('EINVAL');
    expect(code(() => fs.rename('/nope', '/x'))).toBe('ENOENT');
  });
});

describe('union view: read-only and external content', () => {
  it('refuses writes through a view with EROFS', async () => {
    const s = new MemorySnapshotter();
    await s.prepare('l0-active');
    await s.apply('l0-active', aLayer({ '/etc/passwd': 'p' }));
    await s.commit('l0', 'l0-active');
    const fs = s.fs(await s.view('v', 'l0'));
    expect(read(fs, '/etc/passwd')).toBe('p');
    expect(code(() => fs.writeFile('/etc/passwd', bytes('x')))).toBe('EROFS');
    expect(code(() => fs.mkdir('/x'))).toBe('EROFS');
    expect(code(() => fs.unlink('/etc/passwd'))).toBe('EROFS');
    expect(code(() => fs.rename('/etc', '/etc2'))).toBe('EROFS');
  });

  it('freezes an active snapshot once committed, so its layer cannot change under its children', async () => {
    const s = new MemorySnapshotter();
    const fs = s.fs(await s.prepare('a'));
    fs.writeFile('/f', bytes('1'));
    await s.commit('l', 'a');
    expect(code(() => fs.writeFile('/f', bytes('2')))).toBe('EROFS');
    expect(await s.changes('l')).toEqual([aFile('/f', '1')]);
  });

  it('stats external content but cannot read it', async () => {
    const external = {
      kind: 'file' as const,
      path: '/bin/busybox',
      mode: 0o755,
      uid: 0,
      gid: 0,
      content: { type: 'external' as const, size: 1_000_000, digest: sha256('bb') },
    };
    const { fs } = await container([aDir('/bin'), external, aSymlink('/bin/sh', '/bin/busybox')]);
    expect(fs.stat('/bin/sh')).toMatchObject({ type: 'file', size: 1_000_000, mode: 0o755 });
    expect(code(() => fs.readFile('/bin/busybox'))).toBe('EACCES');
  });
});
