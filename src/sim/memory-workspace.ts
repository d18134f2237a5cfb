import { concatBytes } from '../engine/format/concat-bytes.js';
import { bytesReader } from '../engine/drivers/bytes-reader.js';
import type { Workspace, WorkspaceEntry, WorkspaceReader } from '../engine/drivers/workspace.js';
import { workspacePath, workspacePathIfInside } from '../engine/workspace-path.js';

/** A file a workspace starts with: its bytes (or UTF-8 text) and, optionally, its mode. */
export interface WorkspaceFile {
  path: string;
  bytes: Uint8Array | string;
  mode?: number;
}

/**
 * The simulator's build context, held in memory: empty for a bare session, or preset
 * with a lesson's starting files (TutorialKit's files beside the lesson). Files are keyed
 * by their path as `workspacePath` resolves it, so `./a` is `a` and `../a` is refused, as
 * on a directory.
 */
export class MemoryWorkspace implements Workspace {
  readonly #files = new Map<string, { bytes: Uint8Array; mode: number }>();

  constructor(files: readonly WorkspaceFile[] = []) {
    for (const file of files) {
      const bytes = typeof file.bytes === 'string' ? new TextEncoder().encode(file.bytes) : file.bytes;
      this.#files.set(workspacePath(file.path, 'write'), { bytes, mode: file.mode ?? 0o644 });
    }
  }

  async read(path: string): Promise<Uint8Array | undefined> {
    return this.#files.get(workspacePath(path, 'read'))?.bytes;
  }

  async open(path: string): Promise<WorkspaceReader | undefined> {
    const bytes = await this.read(path);
    return bytes && bytesReader(bytes);
  }

  async write(path: string, bytes: Uint8Array): Promise<void> {
    const key = workspacePath(path, 'write');
    this.#files.set(key, { bytes, mode: this.#files.get(key)?.mode ?? 0o644 });
  }

  async writeStream(path: string, chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<void> {
    // Refused before a chunk is read, as on a directory.
    workspacePath(path, 'write');
    const parts: Uint8Array[] = [];
    for await (const c of chunks) parts.push(c);
    await this.write(path, concatBytes(parts));
  }

  async list(dir = ''): Promise<WorkspaceEntry[]> {
    const root = workspacePathIfInside(dir);
    if (root === undefined) return [];
    const prefix = root ? `${root}/` : '';
    return [...this.#files.entries()]
      .filter(([p]) => p.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([path, f]) => ({ path, kind: 'file' as const, mode: f.mode, size: f.bytes.length }));
  }
}
