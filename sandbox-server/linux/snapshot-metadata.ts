import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SnapshotKind } from '../../src/engine/drivers/snapshotter.js';
import { isNotFound } from './fs-content-store.js';

export interface SnapshotRecord {
  /** The numbered directory `<root>/snapshots/<id>` (containerd's layout). */
  id: number;
  kind: SnapshotKind;
  parent?: string;
  /** A committed layer kept outside this snapshotter (the shared base image), read-only:
   * used as a lowerdir, never written or removed by us. */
  dir?: string;
}

interface MetadataFile {
  version: 1;
  nextId: number;
  snapshots: Record<string, SnapshotRecord>;
}

/**
 * The snapshotter's bookkeeping (containerd keeps it in bolt; one small JSON file is
 * enough for a session): key → directory id, kind, parent. Written whole to a temp
 * file and renamed, so a crash leaves the old or the new version, never half of one.
 * Mutations are serialised through `update` so concurrent calls can not interleave.
 */
export class SnapshotMetadata {
  private data: MetadataFile = { version: 1, nextId: 1, snapshots: {} };
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly file: string) {}

  static async open(root: string): Promise<SnapshotMetadata> {
    await mkdir(root, { recursive: true });
    const meta = new SnapshotMetadata(join(root, 'metadata.json'));
    try {
      meta.data = JSON.parse(await readFile(meta.file, 'utf8')) as MetadataFile;
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    return meta;
  }

  get(key: string): SnapshotRecord | undefined {
    return Object.hasOwn(this.data.snapshots, key) ? this.data.snapshots[key] : undefined;
  }

  entries(): [string, SnapshotRecord][] {
    return Object.entries(this.data.snapshots);
  }

  /** Runs `fn` alone; it may read and change the records, and whatever it changed is saved. */
  update<T>(fn: (tx: MetadataTx) => Promise<T>): Promise<T> {
    const next = this.queue.then(async () => {
      const draft: MetadataFile = structuredClone(this.data);
      const result = await fn({
        get: (key) => (Object.hasOwn(draft.snapshots, key) ? draft.snapshots[key] : undefined),
        entries: () => Object.entries(draft.snapshots),
        put: (key, record) => {
          draft.snapshots[key] = record;
        },
        delete: (key) => {
          delete draft.snapshots[key];
        },
        allocateId: () => draft.nextId++,
      });
      const tmp = `${this.file}.tmp`;
      await writeFile(tmp, JSON.stringify(draft, null, 1));
      await rename(tmp, this.file);
      this.data = draft;
      return result;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}

export interface MetadataTx {
  get(key: string): SnapshotRecord | undefined;
  entries(): [string, SnapshotRecord][];
  put(key: string, record: SnapshotRecord): void;
  delete(key: string): void;
  allocateId(): number;
}
