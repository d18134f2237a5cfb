import type { Change } from '../layer/change.js';

/**
 * Where a session's named and anonymous volumes keep their files (moby's `local` volume
 * driver). The engine owns the table of volumes (names, labels, who uses them); a store
 * only makes and removes each one's directory and says where it lives — the source a
 * runtime bind-mounts (`ContainerSpec.volumes`). Names reach it already checked
 * (`volumes/volume-name.ts`), and it never holds anything outside the session.
 */
export interface VolumeStore {
  /** Makes the volume's empty directory, or keeps the one there; its mount source (`Mountpoint`). */
  create(name: string): Promise<string>;
  /** Removes the volume's directory and everything in it; a name it does not hold is no error. */
  remove(name: string): Promise<void>;
  /** Bytes of the regular files it holds, each inode once (moby pkg/directory.Size): `volume prune`'s reclaimed space. */
  size(name: string): Promise<number>;
  /**
   * Writes `entries` (paths from the volume's root, no whiteouts) into the volume, and gives its
   * root `root`'s owner and mode, if it holds nothing yet — as moby's copyExistingContents and
   * copyOwnership fill a new volume with what the image has at its mount point; false, writing
   * nothing, when it holds anything.
   */
  populate(name: string, root: { mode: number; uid: number; gid: number }, entries: readonly Change[]): Promise<boolean>;
  /** The names it holds, sorted. */
  list(): Promise<string[]>;
}
