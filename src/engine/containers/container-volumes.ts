import { mountDestination, type MountRequest } from '../volumes/mount-request.js';
import { DuplicateMountPoint } from '../volumes/volume-errors.js';
import type { VolumeTable } from '../volumes/volume-table.js';
import type { ContainerVolume } from './container-record.js';

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
