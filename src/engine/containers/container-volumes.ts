import { mountDestination, type MountRequest } from '../volumes/mount-request.js';
import { DuplicateMountPoint } from '../volumes/volume-errors.js';
import type { VolumeTable } from '../volumes/volume-table.js';
import type { ContainerVolume } from './container-record.js';
import type { VolumeStore } from '../drivers/volume-store.js';
import type { Snapshotter } from '../drivers/snapshotter.js';
import type { Digest } from '../digest.js';
import { rootfsView } from '../builder/rootfs-view.js';
import { ETC_FILE_PATHS } from './etc-files.js';
import { initLayerEntries } from './init-layer.js';

/**
 * The volumes `docker create` gives a container: what `-v`/`--mount` asked for (a name not
 * held yet is created, as Docker does), then an anonymous volume for each of the image's
 * VOLUMEs no request covers (moby daemon/create_unix.go). Two requests for one path are
 * Docker's `Duplicate mount point`; everything is checked before any volume is made.
 */
export async function containerVolumes(
  table: VolumeTable,
  requests: readonly MountRequest[],
  imageVolumes: Record<string, object> | undefined,
): Promise<ContainerVolume[]> {
  const seen = new Set<string>();
  for (const r of requests) {
    if (seen.has(r.destination)) throw new DuplicateMountPoint(`Duplicate mount point: ${r.destination}`, { path: r.destination });
    seen.add(r.destination);
  }
  const fromImage: MountRequest[] = [];
  for (const path of Object.keys(imageVolumes ?? {})) {
    // The same checks as -v's (a VOLUME at /proc is refused, not mounted over procfs).
    const destination = mountDestination(path, path);
    if (seen.has(destination)) continue;
    seen.add(destination);
    fromImage.push({ name: undefined, destination, readOnly: false, mode: '' });
  }
  const out: ContainerVolume[] = [];
  for (const r of [...requests, ...fromImage]) {
    const v = r.name === undefined ? await table.createAnonymous() : await table.create(r.name);
    out.push({ name: v.name, destination: r.destination, readOnly: r.readOnly, mode: r.mode, source: v.mountpoint, anonymous: r.name === undefined });
  }
  return out;
}

/**
 * moby container.CopyImagePathContent: a volume that holds nothing yet gets what the image has
 * at its mount point (owners and modes kept), so `-v data:/etc` starts with the image's /etc.
 * A volume that holds anything is left as it is.
 */
export async function populateVolumes(
  store: VolumeStore,
  snapshotter: Snapshotter,
  chain: readonly Digest[],
  volumes: readonly ContainerVolume[],
): Promise<void> {
  if (volumes.length === 0) return;
  const view = await rootfsView(snapshotter, chain, new Map());
  for (const v of volumes) {
    // `-v name:/path:nocopy` asks for the volume as it is.
    const root = view.get(v.destination);
    if (root?.kind !== 'dir' || v.mode.split(',').includes('nocopy')) continue;
    // The container's rootfs, init layer included: its etc mount points and mtab link are copied too.
    const merged = new Map(view.under(v.destination).map((c) => [c.path, c]));
    for (const c of initLayerEntries(ETC_FILE_PATHS)) if (c.path.startsWith(`${v.destination}/`)) merged.set(c.path, c);
    const entries = [...merged.values()]
      .filter((c) => c.path !== v.destination && c.kind !== 'whiteout')
      .map((c) => (c.kind === 'dir' ? { ...c, opaque: false } : c))
      .map((c) => ({ ...c, path: c.path.slice(v.destination.length) }));
    await store.populate(v.name, { mode: root.mode, uid: root.uid, gid: root.gid }, entries);
  }
}
