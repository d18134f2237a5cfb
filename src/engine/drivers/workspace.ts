import type { BlobRange } from './content-store.js';

/**
 * The learner's files outside any container: the build context of `docker build .`
 * and where `docker save -o x.tar` / `docker load -i x.tar` read and write. In the
 * browser it is the lesson editor's files, on the server a session's files directory,
 * from the shell `layerlab exec --context DIR`.
 */
export interface Workspace {
  /** The bytes of a file (path relative to the workspace root), or undefined. */
  read(path: string): Promise<Uint8Array | undefined>;
  /** A regular file to read by ranges, never whole where the workspace is a disk (`docker
   * load -i` of a large archive), or undefined where `read` gives undefined. The path is
   * checked as `read` checks it. */
  open(path: string): Promise<WorkspaceReader | undefined>;
  write(path: string, bytes: Uint8Array): Promise<void>;
  /** Writes a file that arrives a chunk at a time (`docker save` of a large image), never
   * held whole where the workspace is a disk. The file appears once every chunk is written:
   * a source that fails leaves nothing there, not even a file it replaced. */
  writeStream(path: string, chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<void>;
  /** Every file below `dir` (default the root), as relative paths, sorted. */
  list(dir?: string): Promise<WorkspaceEntry[]>;
}

export interface WorkspaceEntry {
  path: string;
  kind: 'file' | 'dir' | 'symlink';
  mode: number;
  size: number;
}

/** A workspace file opened by `open`. */
export interface WorkspaceReader {
  /** Its size when it was opened. */
  size: number;
  /** Its bytes by chunks of at most `SLICE_BYTES` (the consumer may keep one), or with
   * `range` only `length` of them from `offset`; fewer when the file ends first. Each call
   * reads the file afresh, so a range is read without the bytes before it. */
  chunks(range?: BlobRange): AsyncIterable<Uint8Array>;
}
