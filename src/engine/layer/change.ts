import type { Digest } from '../digest.js';
import { ContentChanged } from '../errors.js';

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
 * not, so a layer holding one can be described but not re-serialised. `stream` is bytes
 * read only when they are written — a file of a container's upper dir as `commit` tars
 * it, a file of a stored layer blob as it is unpacked — a bounded chunk at a time, so
 * a layer of any size passes through the server without being held.
 */
export type FileContent = { type: 'bytes'; bytes: Uint8Array } | { type: 'external'; size: number; digest: Digest } | StreamContent;

export interface StreamContent {
  type: 'stream';
  size: number;
  /** The bytes, by chunks; exactly `size` of them or the read fails (`exactChunks`). */
  open(): AsyncIterable<Uint8Array>;
}

export function contentSize(c: FileContent): number {
  return c.type === 'bytes' ? c.bytes.length : c.size;
}

/** A source's chunks, checked to come to `size` bytes: a file that changed under a commit,
 * or a blob cut short, fails the read instead of tearing the tar or the file. */
export async function* exactChunks(size: number, chunks: AsyncIterable<Uint8Array>, path: string): AsyncGenerator<Uint8Array> {
  let seen = 0;
  for await (const c of chunks) {
    seen += c.length;
    if (seen > size) break;
    yield c;
  }
  if (seen !== size)
    throw new ContentChanged(`${path} changed size while it was read: expected ${size} bytes, got ${seen > size ? 'more' : seen}`, { path });
}

/** A file's bytes, whole: for a backend that holds layers in memory anyway (the simulator). */
export async function contentBytes(c: FileContent, path: string): Promise<FileContent> {
  if (c.type !== 'stream') return c;
  const out = new Uint8Array(c.size);
  let off = 0;
  for await (const chunk of exactChunks(c.size, c.open(), path)) {
    out.set(chunk, off);
    off += chunk.length;
  }
  return { type: 'bytes', bytes: out };
}

/** Sort order of a layer: by path, parents before children (tar and diff order). */
export function byPath(a: { path: string }, b: { path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}
