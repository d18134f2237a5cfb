import { afterEach, describe, expect, it } from 'vitest';
import type { Mount, Snapshotter } from '../../src/engine/drivers/snapshotter.js';
import { byPath, type Change } from '../../src/engine/layer/change.js';
import { SnapshotExists, SnapshotInUse, SnapshotKindError, SnapshotNotFound } from '../../src/engine/errors.js';
import { aDir, aFile, aLayer, aSymlink, aWhiteout } from '../support/builders.js';

export interface SnapshotterFixture {
  snapshotter: Snapshotter;
  cleanup?(): Promise<void>;
}

function option(mount: Mount, name: string): string | undefined {
  return mount.options.find((o) => o.startsWith(`${name}=`))?.slice(name.length + 1);
}

function lowerdirs(mounts: Mount[]): string[] {
  expect(mounts).toHaveLength(1);
  expect(mounts[0]).toMatchObject({ type: 'overlay' });
  return (option(mounts[0]!, 'lowerdir') ?? '').split(':');
}

/**
 * What every Snapshotter promises (containerd's snapshotter testsuite, plus our
 * `changes`/`apply`), through the interface alone: run against the memory backend and,
 * as root, the Linux overlay backend. Layers are built as the engine builds them:
 * prepare, apply a layer's entries, commit.
 */
export function snapshotterContract(name: string, make: () => Promise<SnapshotterFixture>): void {
  describe(`Snapshotter contract: ${name}`, () => {
    let fixture: SnapshotterFixture | undefined;
    afterEach(async () => {
      await fixture?.cleanup?.();
      fixture = undefined;
    });
    async function snapshotter(): Promise<Snapshotter> {
      fixture = await make();
      return fixture.snapshotter;
    }
    async function layer(s: Snapshotter, name: string, parent: string | undefined, changes: Change[]): Promise<void> {
      await s.prepare(`${name}-active`, parent);
      await s.apply(`${name}-active`, changes);
      await s.commit(name, `${name}-active`);
    }

    const base = aLayer({
      '/etc/passwd': 'root:x:0:0:root:/root:/bin/sh\n',
      '/etc/hosts': '127.0.0.1 localhost\n',
      '/var/log/a.log': 'a',
      '/var/log/b.log': 'b',
      '/bin/sh': '-> /bin/busybox',
    });

    it('prepares a parentless active snapshot as a writable bind mount', async () => {
      const s = await snapshotter();
      const mounts = await s.prepare('c1');
      expect(mounts).toHaveLength(1);
      expect(mounts[0]).toMatchObject({ type: 'bind' });
      expect(mounts[0]!.options).toContain('rbind');
      expect(mounts[0]!.options).toContain('rw');
      expect(await s.mounts('c1')).toEqual(mounts);
      expect(await s.stat('c1')).toEqual({ key: 'c1', kind: 'active' });
      expect(await s.changes('c1')).toEqual([]);
    });

    it('keeps the entries applied to an active snapshot and gives them back as changes', async () => {
      const s = await snapshotter();
      await s.prepare('l1-active');
      const entries = [
        ...base,
        aFile('/usr/bin/passwd', 'suid', { mode: 0o4755 }),
        aDir('/home/user', { mode: 0o700, uid: 1000, gid: 1000 }),
        aDir('/tmp', { mode: 0o1777 }),
        aSymlink('/home/user/link', '../../etc/passwd', { uid: 1000, gid: 1000 }),
      ];
      // parents of the new entries, as a layer tar lists them
      entries.push(aDir('/home'), aDir('/usr'), aDir('/usr/bin'));
      await s.apply('l1-active', entries);
      const changes = await s.changes('l1-active');
      expect(changes).toEqual([...entries].sort(byPath));
    });

    it('commits an active snapshot under a name: the key is gone, the layer stays', async () => {
      const s = await snapshotter();
      await layer(s, 'l1', undefined, base);
      expect(await s.stat('l1')).toEqual({ key: 'l1', kind: 'committed' });
      await expect(s.stat('l1-active')).rejects.toBeInstanceOf(SnapshotNotFound);
      expect(await s.changes('l1')).toEqual(base);
    });

    it('prepares on a committed parent as an overlay: lowerdir top-first, upperdir, workdir', async () => {
      const s = await snapshotter();
      await layer(s, 'l1', undefined, base);
      await layer(s, 'l2', 'l1', aLayer({ '/etc/motd': 'hi\n' }));
      const view1 = await s.view('v1', 'l1');
      expect(view1).toHaveLength(1);
      expect(view1[0]).toMatchObject({ type: 'bind' });
      expect(view1[0]!.options).toContain('ro');
      const l1dir = view1[0]!.source;

      const one = await s.prepare('c1', 'l1');
      expect(lowerdirs(one)).toEqual([l1dir]);
      const two = await s.prepare('c2', 'l2');
      const lowers = lowerdirs(two);
      expect(lowers).toHaveLength(2);
      expect(lowers[1]).toBe(l1dir);
      expect(lowers[0]).not.toBe(l1dir);
      const upper = option(two[0]!, 'upperdir');
      const work = option(two[0]!, 'workdir');
      expect(upper).toBeTruthy();
      expect(work).toBeTruthy();
      expect(lowers).not.toContain(upper);
      expect(option(one[0]!, 'upperdir')).not.toBe(upper);
      expect(await s.mounts('c2')).toEqual(two);
      expect(await s.stat('c2')).toEqual({ key: 'c2', parent: 'l2', kind: 'active' });
      expect(await s.changes('c2')).toEqual([]);
    });

    it('describes read-only views: a bind of the parent, or an overlay of lowers only', async () => {
      const s = await snapshotter();
      await layer(s, 'l1', undefined, base);
      await layer(s, 'l2', 'l1', aLayer({ '/etc/motd': 'hi\n' }));
      const empty = await s.view('v0');
      expect(empty).toHaveLength(1);
      expect(empty[0]).toMatchObject({ type: 'bind' });
      expect(empty[0]!.options).toContain('ro');
      const chain = await s.view('v2', 'l2');
      expect(lowerdirs(chain)).toHaveLength(2);
      expect(option(chain[0]!, 'upperdir')).toBeUndefined();
      expect(await s.stat('v2')).toEqual({ key: 'v2', parent: 'l2', kind: 'view' });
      expect(await s.changes('v2')).toEqual([]);
    });

    it('gives back whiteouts and opaque dirs applied on top of a parent', async () => {
      const s = await snapshotter();
      await layer(s, 'l1', undefined, base);
      await s.prepare('c1', 'l1');
      const upper = [
        aDir('/etc'),
        aWhiteout('/etc/hosts'),
        aDir('/var'),
        aDir('/var/log', { opaque: true }),
        aFile('/var/log/c.log', 'c'),
        aWhiteout('/bin'),
      ];
      await s.apply('c1', upper);
      expect(await s.changes('c1')).toEqual([...upper].sort(byPath));
      // The parent is untouched.
      expect(await s.changes('l1')).toEqual(base);
    });

    it('applies as unpacking does: a later entry replaces an earlier one, a whiteout replaces an upper entry', async () => {
      const s = await snapshotter();
      await layer(s, 'l1', undefined, base);
      await s.prepare('c1', 'l1');
      await s.apply('c1', [aDir('/etc'), aFile('/etc/motd', 'one'), aFile('/etc/passwd', 'new')]);
      await s.apply('c1', [aDir('/etc'), aFile('/etc/motd', 'two', { mode: 0o600 }), aWhiteout('/etc/passwd')]);
      expect(await s.changes('c1')).toEqual([aDir('/etc'), aFile('/etc/motd', 'two', { mode: 0o600 }), aWhiteout('/etc/passwd')]);
    });

    it('keeps committed layers immutable: apply and commit need an active snapshot', async () => {
      const s = await snapshotter();
      await layer(s, 'l1', undefined, base);
      await s.view('v1', 'l1');
      await expect(s.apply('l1', [aFile('/x')])).rejects.toBeInstanceOf(SnapshotKindError);
      await expect(s.apply('v1', [aFile('/x')])).rejects.toBeInstanceOf(SnapshotKindError);
      await expect(s.commit('l2', 'v1')).rejects.toBeInstanceOf(SnapshotKindError);
      await expect(s.commit('l3', 'l1')).rejects.toBeInstanceOf(SnapshotKindError);
      await expect(s.prepare('c1', 'v1')).rejects.toBeInstanceOf(SnapshotKindError);
      expect(await s.changes('l1')).toEqual(base);
    });

    it('refuses taken keys and names, and unknown keys and parents', async () => {
      const s = await snapshotter();
      await layer(s, 'l1', undefined, base);
      await s.prepare('c1', 'l1');
      await s.prepare('c2', 'l1');
      await expect(s.prepare('c1', 'l1')).rejects.toBeInstanceOf(SnapshotExists);
      await expect(s.view('l1')).rejects.toBeInstanceOf(SnapshotExists);
      await expect(s.commit('l1', 'c1')).rejects.toBeInstanceOf(SnapshotExists);
      await expect(s.commit('c2', 'c1')).rejects.toBeInstanceOf(SnapshotExists);
      await expect(s.prepare('c3', 'nope')).rejects.toBeInstanceOf(SnapshotNotFound);
      await expect(s.view('v3', 'nope')).rejects.toBeInstanceOf(SnapshotNotFound);
      await expect(s.commit('l9', 'nope')).rejects.toBeInstanceOf(SnapshotNotFound);
      for (const op of [s.mounts('nope'), s.stat('nope'), s.changes('nope'), s.apply('nope', []), s.remove('nope')]) {
        await expect(op).rejects.toBeInstanceOf(SnapshotNotFound);
      }
      // Nothing was made by the failed calls.
      expect((await s.list()).map((i) => i.key)).toEqual(['c1', 'c2', 'l1']);
    });

    it('refuses to remove a parent in use, then removes it once its children are gone', async () => {
      const s = await snapshotter();
      await layer(s, 'l1', undefined, base);
      await layer(s, 'l2', 'l1', aLayer({ '/etc/motd': 'hi\n' }));
      await s.prepare('c1', 'l2');
      await expect(s.remove('l2')).rejects.toBeInstanceOf(SnapshotInUse);
      await expect(s.remove('l1')).rejects.toBeInstanceOf(SnapshotInUse);
      await s.remove('c1');
      await s.remove('l2');
      await s.remove('l1');
      expect(await s.list()).toEqual([]);
      await expect(s.stat('l1')).rejects.toBeInstanceOf(SnapshotNotFound);
      // The key can be used again.
      await s.prepare('c1');
      expect(await s.changes('c1')).toEqual([]);
    });

    it('lists every snapshot sorted by key, with parent and kind', async () => {
      const s = await snapshotter();
      await layer(s, 'sha256:b', undefined, base);
      await s.prepare('container-2', 'sha256:b');
      await s.view('build-view', 'sha256:b');
      await s.prepare('a-scratch');
      expect(await s.list()).toEqual([
        { key: 'a-scratch', kind: 'active' },
        { key: 'build-view', parent: 'sha256:b', kind: 'view' },
        { key: 'container-2', parent: 'sha256:b', kind: 'active' },
        { key: 'sha256:b', kind: 'committed' },
      ]);
    });
  });
}
