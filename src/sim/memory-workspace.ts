import { concatBytes } from '../engine/format/concat-bytes.js';
import type { Workspace, WorkspaceEntry } from '../engine/drivers/workspace.js';

/** A file a workspace starts with: its bytes (or UTF-8 text) and, optionally, its mode. */
export interface WorkspaceFile {
  path: string;
  bytes: Uint8Array | string;
  mode?: number;
}

/**
 * The simulator's build context, held in memory: empty for a bare session, or preset
 * with a lesson's starting files (TutorialKit's files beside the lesson).
 */
export class MemoryWorkspace implements Workspace {
  readonly #files = new Map<string, { bytes: Uint8Array; mode: number }>();

  constructor(files: readonly WorkspaceFile[] = []) {
    for (const file of files) {
      const bytes = typeof file.bytes === 'string' ? new TextEncoder().encode(file.bytes) : file.bytes;
      this.#files.set(file.path, { bytes, mode: file.mode ?? 0o644 });
    }
  }

  async read(path: string): Promise<Uint8Array | undefined> {
    return this.#files.get(path)?.bytes;
  }

  async write(path: string, bytes: Uint8Array): Promise<void> {
    this.#files.set(path, { bytes, mode: this.#files.get(path)?.mode ?? 0o644 });
  }

  async writeStream(path: string, chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<void> {
    const parts: Uint8Array[] = [];
    for await (const c of chunks) parts.push(c);
    await this.write(path, concatBytes(parts));
  }

  async list(dir = ''): Promise<WorkspaceEntry[]> {
    const prefix = dir ? `${dir.replace(/\/$/, '')}/` : '';
    return [...this.#files.entries()]
      .filter(([p]) => p.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([path, f]) => ({ path, kind: 'file' as const, mode: f.mode, size: f.bytes.length }));
  }
}
