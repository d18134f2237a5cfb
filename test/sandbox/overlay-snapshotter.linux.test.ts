import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';
import { OverlaySnapshotter } from '../../sandbox-server/linux/overlay-snapshotter.js';
import { MOUNT_DATA_LIMIT, isMountPoint, mountRootfs, unmountRootfs } from '../../sandbox-server/linux/mount.js';
import type { Change } from '../../src/engine/layer/change.js';
import { SnapshotInUse, SnapshotKindError } from '../../src/engine/errors.js';

const run = requirePrereqs('linux', missingLinuxPrereqs());

const bytes = (s: string) => new TextEncoder().encode(s);
const file = (path: string, text: string, mode = 0o644): Change => ({
  kind: 'file',
  path,
  mode,
  uid: 0,
  gid: 0,
  content: { type: 'bytes', bytes: bytes(text) },
});
const dir = (path: string, mode = 0o755): Change => ({ kind: 'dir', path, mode, uid: 0, gid: 0 });

describe.skipIf(!run)('overlay snapshotter on the real kernel', () => {
  let root: string;
  let merged: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'layerlab-snap-'));
    merged = join(root, 'merged');
    await mkdir(merged);
  });
  afterAll(async () => {
    await unmountRootfs(merged);
    await rm(root, { recursive: true, force: true });
  });

  it('lays snapshots out as containerd does and describes an overlay mount, top layer first', async () => {
    const s = await OverlaySnapshotter.open(join(root, 'a'));
    const base = await s.prepare('base-key');
    expect(base).toEqual([{ type: 'bind', source: join(root, 'a/snapshots/1/fs'), options: ['rw', 'rbind'] }]);
    await s.apply('base-key', [dir('/etc'), file('/etc/passwd', 'root:x:0:0::/root:/bin/sh\n'), dir('/data'), file('/data/old', 'old')]);
    await s.commit('L1', 'base-key');
    await s.prepare('k2', 'L1');
    await s.apply('k2', [file('/two', '2')]);
    await s.commit('L2', 'k2');
    const mounts = await s.prepare('ctr', 'L2');
    expect(mounts).toEqual([
      {
        type: 'overlay',
        source: 'overlay',
        options: [
          'index=off',
          `lowerdir=${join(root, 'a/snapshots/2/fs')}:${join(root, 'a/snapshots/1/fs')}`,
          `upperdir=${join(root, 'a/snapshots/3/fs')}`,
          `workdir=${join(root, 'a/snapshots/3/work')}`,
        ],
      },
    ]);
    expect(await s.view('v', 'L1')).toEqual([{ type: 'bind', source: join(root, 'a/snapshots/1/fs'), options: ['ro', 'rbind'] }]);
    expect(await s.list()).toEqual([
      { key: 'L1', kind: 'committed' },
      { key: 'L2', parent: 'L1', kind: 'committed' },
      { key: 'ctr', parent: 'L2', kind: 'active' },
      { key: 'v', parent: 'L1', kind: 'view' },
    ]);
    await expect(s.remove('L1')).rejects.toBeInstanceOf(SnapshotInUse);
    await expect(s.apply('L1', [])).rejects.toBeInstanceOf(SnapshotKindError);
    // The metadata survives a reopen.
    expect(await (await OverlaySnapshotter.open(join(root, 'a'))).list()).toEqual(await s.list());
  });

  it("reads the kernel's copy-up, whiteouts and opaque dirs back as layer entries", async () => {
    const s = await OverlaySnapshotter.open(join(root, 'a'));
    await mountRootfs(await s.mounts('ctr'), merged);
    try {
      await writeFile(join(merged, 'etc/passwd'), 'changed\n', { flag: 'a' });
      await rm(join(merged, 'two'));
      await rm(join(merged, 'data'), { recursive: true });
      await mkdir(join(merged, 'data'), { mode: 0o700 });
      await writeFile(join(merged, 'data/new'), 'new');
    } finally {
      await unmountRootfs(merged);
    }
    expect(await isMountPoint(merged)).toBe(false);
    const changes = await s.changes('ctr');
    expect(changes.map((c) => [c.kind, c.path, 'opaque' in c ? c.opaque : undefined])).toEqual([
      ['dir', '/data', true],
      ['file', '/data/new', undefined],
      ['dir', '/etc', undefined],
      ['file', '/etc/passwd', undefined],
      ['whiteout', '/two', undefined],
    ]);
    const passwd = changes.find((c) => c.path === '/etc/passwd');
    expect(passwd?.kind === 'file' && new TextDecoder().decode(passwd.content.type === 'bytes' ? passwd.content.bytes : undefined)).toBe(
      'root:x:0:0::/root:/bin/sh\nchanged\n',
    );
    expect(changes.find((c) => c.path === '/data')).toMatchObject({ mode: 0o700 });
  });

  it('applies whiteouts and opaque dirs so that the kernel hides what is below', async () => {
    const s = await OverlaySnapshotter.open(join(root, 'a'));
    const changes = await s.changes('ctr');
    await s.prepare('replay', 'L2');
    await s.apply('replay', [
      ...changes,
      { kind: 'symlink', path: '/link', target: 'etc/passwd', mode: 0o777, uid: 0, gid: 0 },
      file('/suid', 'x', 0o4755),
    ]);
    const upper = (await s.mounts('replay'))[0]!.options.find((o) => o.startsWith('upperdir='))!.slice('upperdir='.length);
    const wh = await stat(join(upper, 'two'));
    expect([wh.isCharacterDevice(), wh.rdev]).toEqual([true, 0]);
    expect((await stat(join(upper, 'suid'))).mode & 0o7777).toBe(0o4755);
    await mountRootfs(await s.mounts('replay'), merged);
    try {
      expect((await readdir(merged)).sort()).toEqual(['data', 'etc', 'link', 'suid']);
      expect(await readdir(join(merged, 'data'))).toEqual(['new']);
      expect(await readFile(join(merged, 'link'), 'utf8')).toBe('root:x:0:0::/root:/bin/sh\nchanged\n');
    } finally {
      await unmountRootfs(merged);
    }
    const again = await s.changes('replay');
    expect(again.filter((c) => c.path !== '/link' && c.path !== '/suid')).toEqual(changes);
  });

  it("reads an imported (shared, read-only) layer's entries once per process, whichever session asks", async () => {
    const layer = join(root, 'imported-layer');
    await mkdir(join(layer, 'etc'), { recursive: true });
    await writeFile(join(layer, 'etc/motd'), 'hi');
    const one = await OverlaySnapshotter.open(join(root, 'imp-1'));
    const two = await OverlaySnapshotter.open(join(root, 'imp-2'));
    await one.importCommitted('base', layer);
    await two.importCommitted('base', layer);
    const first = await one.changes('base');
    expect(first.map((c) => c.path)).toEqual(['/etc', '/etc/motd']);
    // Setup never changes it after import; a change here shows whether the disk is read again.
    await writeFile(join(layer, 'etc/late'), 'x');
    expect(await two.changes('base')).toEqual(first);
    // Callers get their own array to sort or filter.
    (await one.changes('base')).pop();
    expect(await two.changes('base')).toHaveLength(2);
  });

  it('mounts a chain whose overlay options are longer than one page', async () => {
    // A long root makes every lowerdir long, as a deep session directory would.
    const deepRoot = join(root, 'd'.repeat(60), 'e'.repeat(60));
    const s = await OverlaySnapshotter.open(deepRoot);
    let parent: string | undefined;
    for (let i = 0; i < 40; i++) {
      await s.prepare(`k${i}`, parent);
      await s.apply(`k${i}`, [file(`/layer${i}`, String(i))]);
      await s.commit(`L${i}`, `k${i}`);
      parent = `L${i}`;
    }
    const mounts = await s.prepare('top', parent);
    expect(mounts[0]!.options.join(',').length).toBeGreaterThan(MOUNT_DATA_LIMIT);
    await mountRootfs(mounts, merged);
    try {
      expect(await readFile(join(merged, 'layer0'), 'utf8')).toBe('0');
      expect(await readFile(join(merged, 'layer39'), 'utf8')).toBe('39');
      await writeFile(join(merged, 'mine'), 'x');
    } finally {
      await unmountRootfs(merged);
    }
    expect((await s.changes('top')).map((c) => c.path)).toEqual(['/mine']);
  });
});
