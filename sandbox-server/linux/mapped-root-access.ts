import { chmod, chown, stat } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { hostRoot, type IdMapping } from './id-mapping.js';

/**
 * runc 1.1 mounts a container's rootfs and its binds from inside the user namespace, as
 * the mapped root: every directory from `/` down to a bundle must be searchable by that
 * host uid/gid, which holds no capability over host-owned inodes. moby does the same
 * for its remapped root (daemon/daemon_unix.go `setupDaemonRoot`): its own dirs shared
 * with the remapped gid (0710), the dirs above them checked, with an error that says how.
 */

function searchable(s: { mode: number; uid: number; gid: number }, ids: IdMapping): boolean {
  const root = hostRoot(ids);
  return (s.mode & 0o001) !== 0 || (s.gid === root.gid && (s.mode & 0o010) !== 0) || (s.uid === root.uid && (s.mode & 0o100) !== 0);
}

/** Throws when a directory above `dir` keeps the mapped root out (moby's words). */
export async function assertMappedRootCanReach(dir: string, ids: IdMapping | undefined): Promise<void> {
  if (!ids) return;
  for (let d = dirname(resolve(dir)); ; d = dirname(d)) {
    if (!searchable(await stat(d), ids)) {
      throw new Error(
        `a directory above ${dir} (${d}) restricts access to the user namespace's root (host uid ${ids.start}); allow it 'o+x', or set LAYERLAB_USERNS=off`,
      );
    }
    if (d === sep) return;
  }
}

/**
 * Makes `dir` and every directory between it and `top` (the server's own: its state dir)
 * searchable by the mapped root — group the mapped gid, g+x, as moby's 0710 — and checks
 * the ones above `top`. A `dir` outside `top` is shared alone.
 */
export async function shareWithMappedRoot(top: string, dir: string, ids: IdMapping | undefined): Promise<void> {
  if (!ids) return;
  const within = relative(resolve(top), resolve(dir));
  const inside = within === '' || (!within.startsWith('..') && !within.startsWith(sep));
  const highest = inside ? resolve(top) : resolve(dir);
  const gid = hostRoot(ids).gid;
  for (let d = resolve(dir); ; d = dirname(d)) {
    const s = await stat(d);
    if (!searchable(s, ids)) {
      await chown(d, s.uid, gid);
      await chmod(d, (s.mode & 0o7777) | 0o010);
    }
    if (d === highest) break;
  }
  await assertMappedRootCanReach(highest, ids);
}
