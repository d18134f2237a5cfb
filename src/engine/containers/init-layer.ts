import type { FileChange, SymlinkChange } from '../layer/change.js';

/**
 * Docker's init layer (moby `daemon/initlayer.Setup`), the layer between the image's and
 * the container's own: the mount points of the etc files' binds (empty 0755 files), the
 * empty `/.dockerenv` and the `/etc/mtab -> /proc/mounts` link. It is read-only and below
 * the container's upper, so `docker diff` and `commit` never see it — unless the container
 * deletes one of its entries, which Docker then lists as `D` (the upper's whiteout).
 * Both runtimes build it from these entries: the simulator as a layer, runc as a lowerdir.
 * The /dev and /proc, /sys mount points moby adds are the image's dirs on both backends.
 */
export function initLayerEntries(mountPoints: readonly string[]): (FileChange | SymlinkChange)[] {
  const root = { mode: 0o755, uid: 0, gid: 0 };
  const empty = { type: 'bytes' as const, bytes: new Uint8Array() };
  return [
    ...[...mountPoints, '/.dockerenv'].map((path): FileChange => ({ kind: 'file', path, ...root, content: empty })),
    { kind: 'symlink', path: '/etc/mtab', target: '/proc/mounts', mode: 0o777, uid: 0, gid: 0 },
  ];
}
