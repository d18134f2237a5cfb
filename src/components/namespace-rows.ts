import type { NamespaceView } from '../engine/state.js';

/** Whose a namespace is: the container's own (runc unshared it), the host's, or unknown (the host's was unreadable). */
export type NamespaceSharing = 'own' | 'host' | 'unknown';

export interface NamespaceRow {
  type: NamespaceView['type'];
  inode: number;
  /** As `readlink /proc/<pid>/ns/<type>` prints it, the words the learner can check in a shell. */
  link: string;
  sharing: NamespaceSharing;
}

export interface NamespaceTable {
  rows: NamespaceRow[];
  own: string[];
  shared: string[];
}

/**
 * A container's namespaces as the "under the hood" panel lists them: one row per type,
 * and which types are its own and which the host's, for the sentence that says so.
 */
export function namespaceTable(namespaces: readonly NamespaceView[]): NamespaceTable {
  const rows = namespaces.map((n): NamespaceRow => ({
    type: n.type,
    inode: n.inode,
    link: `${n.type}:[${n.inode}]`,
    sharing: n.hostInode === null ? 'unknown' : n.hostInode === n.inode ? 'host' : 'own',
  }));
  return {
    rows,
    own: rows.filter((r) => r.sharing === 'own').map((r) => r.type),
    shared: rows.filter((r) => r.sharing === 'host').map((r) => r.type),
  };
}
