import type { Digest } from '../digest.js';

/**
 * One entry of a layer: what a snapshot's upper directory holds, and what a layer tar
 * carries. Paths are absolute and normalised (`/etc/passwd`, never a trailing slash).
 *
 * Deletions follow the OCI image spec's whiteouts: a `whiteout` hides `path` in the
 * lower layers (tar: `.wh.<name>`, overlayfs: a 0/0 char device); an `opaque` directory
 * hides everything the lower layers hold under it (tar: `<dir>/.wh..wh..opq`,
 * overlayfs: the `trusted.overlay.opaque=y` xattr) and is itself also a `dir` entry.
 */
export type Change = FileChange | DirChange | SymlinkChange | WhiteoutChange;

export interface Meta {
  /** Permission bits, including setuid/setgid/sticky (e.g. 0o755). Not the type bits. */
  mode: number;
  uid: number;
  gid: number;
}

export interface FileChange extends Meta {
  kind: 'file';
  path: string;
  content: FileContent;
}

export interface DirChange extends Meta {
  kind: 'dir';
  path: string;
  /** The directory replaces (rather than merges with) the same directory below. */
  opaque?: boolean;
}

export interface SymlinkChange extends Meta {
  kind: 'symlink';
  path: string;
  target: string;
}

export interface WhiteoutChange {
  kind: 'whiteout';
  path: string;
}

/**
 * A file's bytes. `external` stands for bytes the simulator does not hold (the
 * busybox binary of the base image): its size and digest are known, its bytes are
 * not, so a layer holding one can be described but not re-serialised.
 */
export type FileContent = { type: 'bytes'; bytes: Uint8Array } | { type: 'external'; size: number; digest: Digest };

export function contentSize(c: FileContent): number {
  return c.type === 'bytes' ? c.bytes.length : c.size;
}

/** Sort order of a layer: by path, parents before children (tar and diff order). */
export function byPath(a: { path: string }, b: { path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}
