import { describe, expect, it } from 'vitest';
import { BindMountFs, mountPointLayer } from '../../src/sim/bind-mount-fs.js';
import { MemorySnapshotter } from '../../src/sim/memory-snapshotter.js';
import { SimFsError } from '../../src/sim/sim-fs.js';
import { aLayer } from '../support/builders.js';

const text = new TextEncoder();
const read = (b: Uint8Array) => new TextDecoder().decode(b);

/** A container on an image with /etc/passwd, its /etc/hosts and /etc/hostname bound as runc binds them. */
async function aContainer() {
  const snapshotter = new MemorySnapshotter({ now: () => 1_000 });
  await snapshotter.prepare('image-active');
  await snapshotter.apply('image-active', aLayer({ '/etc/passwd': 'root:x:0:0::/root:/bin/sh\n', '/tmp': '/' }));
  await snapshotter.commit('image', 'image-active');
  const mounts = await snapshotter.prepare('c', 'image');
  const paths = ['/etc/hosts', '/etc/hostname'];
  const fs = new BindMountFs(
    snapshotter.fs(mounts, mountPointLayer(paths, 2_000)),
    paths.map((path) => ({ path, bytes: text.encode(`${path}\n`) })),
    () => 3_000,
  );
  return { fs, upper: () => snapshotter.changes('c') };
}

const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof SimFsError) return e.code;
    throw e;
  }
  return 'ok';
};

describe('files bind-mounted over a rootfs', () => {
  it('are listed beside the image’s files, read and written as the bound file — the container’s layer stays empty', async () => {
    const { fs, upper } = await aContainer();
    expect(fs.readdir('/etc')).toEqual(['hostname', 'hosts', 'mtab', 'passwd']);
    expect(read(fs.readFile('/etc/hosts'))).toBe('/etc/hosts\n');
    fs.writeFile('/etc/hosts', text.encode('10.0.0.1 db\n'), { append: true });
    fs.writeFile('/etc/hostname', text.encode('renamed\n'));
    fs.chmod('/etc/hosts', 0o600);
    expect(read(fs.readFile('/etc/hosts'))).toBe('/etc/hosts\n10.0.0.1 db\n');
    expect(read(fs.readFile('/etc/hostname'))).toBe('renamed\n');
    expect(fs.stat('/etc/hosts')).toMatchObject({ type: 'file', mode: 0o600, size: 23, mtimeMs: 3_000, nlink: 1 });
    expect(await upper()).toEqual([]);
  });

  it('are reached through symlinks and `..`, as the kernel resolves to the mount', async () => {
    const { fs } = await aContainer();
    fs.symlink('/etc/hosts', '/tmp/link');
    expect(read(fs.readFile('/tmp/link'))).toBe('/etc/hosts\n');
    expect(read(fs.readFile('/tmp/../etc/./hostname'))).toBe('/etc/hostname\n');
    expect(fs.lstat('/tmp/link').type).toBe('symlink');
  });

  it('cannot be removed, renamed or renamed onto (EBUSY), nor replaced (EEXIST); their dir is not empty', async () => {
    const { fs, upper } = await aContainer();
    fs.writeFile('/tmp/new', text.encode('x\n'));
    expect(code(() => fs.unlink('/etc/hosts'))).toBe('EBUSY');
    expect(code(() => fs.rename('/etc/hostname', '/tmp/h'))).toBe('EBUSY');
    expect(code(() => fs.rename('/tmp/new', '/etc/hosts'))).toBe('EBUSY');
    expect(code(() => fs.symlink('/x', '/etc/hosts'))).toBe('EEXIST');
    expect(code(() => fs.mkdir('/etc/hostname'))).toBe('EEXIST');
    fs.unlink('/etc/passwd');
    expect(code(() => fs.rmdir('/etc'))).toBe('ENOTEMPTY');
    expect((await upper()).map((c) => `${c.kind} ${c.path}`)).toEqual(['dir /etc', 'whiteout /etc/passwd', 'dir /tmp', 'file /tmp/new']);
  });

  it('leave everything else to the rootfs: a new file beside them goes to the container’s layer', async () => {
    const { fs, upper } = await aContainer();
    fs.writeFile('/etc/hosts.local', text.encode('10.0.0.4\n'));
    expect((await upper()).map((c) => c.path)).toEqual(['/etc', '/etc/hosts.local']);
  });
});
