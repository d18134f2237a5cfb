import type { Change } from '../../src/engine/layer/change.js';
import { InvalidLayer } from '../../src/engine/errors.js';

/**
 * The server's user namespace, as Docker's `userns-remap`: container ids 0…size-1 are host
 * ids start…start+size-1, the same range for uids and gids (moby pkg/idtools'
 * IdentityMapping with one range each). `undefined` everywhere means no user namespace:
 * container root is host root.
 */
export interface IdMapping {
  /** The host uid and gid of container root. */
  start: number;
  size: number;
}

/** The setting's default: the range Debian's `dockremap` gets in /etc/subuid. */
export const DEFAULT_USERNS = '100000:65536';

/** Linux ids are 32 bits and (uid_t)-1 means "no change": the last usable id is 2^32 - 2. */
const MAX_ID = 2 ** 32 - 2;

/**
 * `LAYERLAB_USERNS`: `start:size` (default 100000:65536), or `off` for no user namespace.
 * A range that holds host root is refused: it would make container root host root again.
 */
export function userNamespaceSetting(value: string | undefined = process.env.LAYERLAB_USERNS): IdMapping | undefined {
  const text = (value ?? DEFAULT_USERNS).trim();
  if (text === 'off') return undefined;
  const m = /^(\d+):(\d+)$/.exec(text);
  const start = Number(m?.[1]);
  const size = Number(m?.[2]);
  if (!m || start < 1 || size < 1 || start + size - 1 > MAX_ID) {
    throw new RangeError(
      `LAYERLAB_USERNS=${value}: expected START:SIZE with 1 <= START and START+SIZE-1 <= ${MAX_ID} (e.g. ${DEFAULT_USERNS}), or off`,
    );
  }
  return { start, size };
}

/** How the setting is written back (the stamp of a layer shifted for it, the probe's record). */
export function describeUserNamespace(ids: IdMapping | undefined): string {
  return ids ? `${ids.start}:${ids.size}` : 'off';
}

/** The host uid and gid that container root runs as and owns its files as. */
export function hostRoot(ids: IdMapping | undefined): { uid: number; gid: number } {
  return { uid: ids?.start ?? 0, gid: ids?.start ?? 0 };
}

/** moby idtools `toHost`: a container id on the host, or its error for an id outside the range. */
export function toHostId(id: number, ids: IdMapping | undefined): number {
  if (!ids) return id;
  if (!Number.isInteger(id) || id < 0 || id >= ids.size) throw new InvalidLayer(`Container ID ${id} cannot be mapped to a host ID`, { id });
  return ids.start + id;
}

/** moby idtools `toContainer`: a host id as the container sees it, or its error. */
export function toContainerId(id: number, ids: IdMapping | undefined): number {
  if (!ids) return id;
  if (id < ids.start || id >= ids.start + ids.size) throw new InvalidLayer(`Host ID ${id} cannot be mapped to a container ID`, { id });
  return id - ids.start;
}

/**
 * Layer entries with their owners shifted onto the host (`toHostId`) before they are
 * written into a snapshot; every id is checked before anything is written. Whiteouts
 * have no owner (overlayfs makes them 0/0 devices as the mounter).
 */
export function changesToHost(changes: readonly Change[], ids: IdMapping | undefined): readonly Change[] {
  if (!ids) return changes;
  return changes.map((c) => (c.kind === 'whiteout' ? c : { ...c, uid: toHostId(c.uid, ids), gid: toHostId(c.gid, ids) }));
}

/** Layer entries read from a snapshot, their owners shifted back as the container sees them:
 * what `docker diff`, commit and save see is the same as without a user namespace. */
export function changesToContainer(changes: Change[], ids: IdMapping | undefined): Change[] {
  if (!ids) return changes;
  return changes.map((c) => (c.kind === 'whiteout' ? c : { ...c, uid: toContainerId(c.uid, ids), gid: toContainerId(c.gid, ids) }));
}

/** The OCI spec's `linux.uidMappings`/`gidMappings` for the range. */
export function ociIdMappings(ids: IdMapping): { uidMappings: object[]; gidMappings: object[] } {
  const range = [{ containerID: 0, hostID: ids.start, size: ids.size }];
  return { uidMappings: range, gidMappings: range };
}
