import type { Change } from '../layer/change.js';

/**
 * A mount, described as data (containerd's `mount.Mount`). The snapshotter never
 * mounts: the memory backend reads these as a union view, the Linux backend hands
 * them to `mount -t overlay` and to the OCI runtime's config.json.
 */
export interface Mount {
  type: string;
  source: string;
  options: string[];
}

export type SnapshotKind = 'active' | 'view' | 'committed';

export interface SnapshotInfo {
  /** The key of an active/view snapshot, or the name of a committed one. */
  key: string;
  parent?: string;
  kind: SnapshotKind;
}

/**
 * containerd's snapshotter, plus the two layer operations our engine needs from it.
 *
 * Committed snapshots are read-only and are the parents of others (an image's layer
 * chain: parent = the chainID of the layer below). An active snapshot has one writable
 * upper on top of its parent chain; a view is read-only.
 */
export interface Snapshotter {
  /** Creates an active snapshot on `parent` (a committed name) and returns its mounts.
   * `SnapshotExists` if `key` is taken, `SnapshotNotFound` if the parent is unknown. */
  prepare(key: string, parent?: string): Promise<Mount[]>;
  /** Creates a read-only view of `parent`. */
  view(key: string, parent?: string): Promise<Mount[]>;
  /** The mounts of an existing active snapshot or view. */
  mounts(key: string): Promise<Mount[]>;
  /** Turns active snapshot `key` into the committed snapshot `name`; `key` is gone. */
  commit(name: string, key: string): Promise<void>;
  /** Removes a snapshot; `SnapshotInUse` while another snapshot has it as parent. */
  remove(key: string): Promise<void>;
  stat(key: string): Promise<SnapshotInfo>;
  /** Every snapshot, sorted by key. */
  list(): Promise<SnapshotInfo[]>;
  /** The changes the snapshot's own (upper) layer holds relative to its parent, as
   * layer entries sorted by path: added/changed files with their parent directories
   * (copy-up), whiteouts for deleted lower paths, opaque directories. With `stream`, a
   * file's bytes may be `stream` content, read from the layer when it is written (`docker
   * commit` of a large container, which holds no file whole); a backend holding layers in
   * memory gives them as they are. */
  changes(key: string, opts?: { stream?: boolean }): Promise<Change[]>;
  /** Applies layer entries to an active snapshot's upper layer, as unpacking a layer
   * tar would: files are written (a `stream` content as its chunks arrive), whiteouts and
   * opaque directories hide what is below. */
  apply(key: string, changes: readonly Change[]): Promise<void>;
}
