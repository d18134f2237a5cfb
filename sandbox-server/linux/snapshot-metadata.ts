import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SnapshotKind } from '../../src/engine/drivers/snapshotter.js';
import { z } from 'zod';
import { isNotFound } from './fs-content-store.js';
import { checkDocumentSize } from '../../src/engine/json-document.js';
import { DocumentTooLarge } from '../../src/engine/errors.js';

export interface SnapshotRecord {
  /** The numbered directory `<root>/snapshots/<id>` (containerd's layout). */
  id: number;
  kind: SnapshotKind;
  parent?: string;
  /** A committed layer kept outside this snapshotter (the shared base image), read-only:
   * used as a lowerdir, never written or removed by us. */
  dir?: string;
}

const metadataSchema = z.object({
  version: z.literal(1),
  nextId: z.number().int().positive(),
  snapshots: z.record(
    z.string(),
    z.object({
      id: z.number().int().positive(),
      kind: z.enum(['active', 'view', 'committed']),
      parent: z.string().optional(),
      dir: z.string().optional(),
    }),
  ),
});

type MetadataFile = z.infer<typeof metadataSchema>;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
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
    let text: string;
    try {
      // Parsed whole, so refused by its size first: one learner's snapshots never make a
      // document the server must hold whole to start.
      checkDocumentSize((await stat(meta.file)).size, 'snapshot metadata');
      text = await readFile(meta.file, 'utf8');
    } catch (error) {
      if (isNotFound(error)) return meta;
      if (!(error instanceof DocumentTooLarge)) throw error;
      console.warn(`${meta.file} is damaged (${error.message}); starting with no snapshots`);
      return meta;
    }
    const parsed = metadataSchema.safeParse(parseJson(text));
    if (parsed.success) meta.data = parsed.data;
    // Derived data (the writer renames whole files, so only a damaged disk or a hand edit
    // gets here): start empty; the snapshotter's open removes the directories no record
    // names, and the base image is built again.
    else console.warn(`${meta.file} is damaged (${z.prettifyError(parsed.error).split('\n')[0]}); starting with no snapshots`);
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
      const text = JSON.stringify(draft, null, 1);
      // What could not be read back at the next start is not written: the change is refused.
      checkDocumentSize(Buffer.byteLength(text), 'snapshot metadata');
      const tmp = `${this.file}.tmp`;
      await writeFile(tmp, text);
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
