/**
 * The learner's files outside any container: the build context of `docker build .`
 * and where `docker save -o x.tar` / `docker load -i x.tar` read and write. In the
 * browser it is the lesson editor's files, on the server a session's files directory,
 * from the shell `layerlab exec --context DIR`.
 */
export interface Workspace {
  /** The bytes of a file (path relative to the workspace root), or undefined. */
  read(path: string): Promise<Uint8Array | undefined>;
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
