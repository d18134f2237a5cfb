import { lchown, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Mount, SnapshotInfo, SnapshotKind, Snapshotter } from '../../src/engine/drivers/snapshotter.js';
import type { Change } from '../../src/engine/layer/change.js';
import { SnapshotExists, SnapshotInUse, SnapshotKindError, SnapshotNotFound } from '../../src/engine/errors.js';
import { changesToContainer, changesToHost, hostRoot, type IdMapping } from './id-mapping.js';
import { readLayerDir, writeLayerDir } from './layer-dir.js';
import { SnapshotMetadata, type MetadataTx, type SnapshotRecord } from './snapshot-metadata.js';
import { asNoSpace } from './no-space.js';

/** The entries of imported committed layers by directory and id mapping (they never change once imported). */
const importedChanges = new Map<string, Promise<Change[]>>();

/**
 * containerd's overlay snapshotter on disk: `<root>/snapshots/<id>/fs` holds a
 * snapshot's own layer (an active snapshot's upperdir, a committed layer's files) and
 * `<root>/snapshots/<id>/work` is overlayfs's workdir. It never mounts: `prepare` and
 * `view` return mounts as data for the runtime driver (see mount.ts) to perform.
 */
export class OverlaySnapshotter implements Snapshotter {
  private constructor(
    readonly root: string,
    private readonly meta: SnapshotMetadata,
    private readonly ids: IdMapping | undefined,
  ) {}

  /** Opens (or creates) a snapshotter under `root`, removing directories that a crash
   * left without a metadata record. With `ids` (the server's user namespace) files are
   * owned on disk by their shifted host ids, as moby's layer store under userns-remap. */
  static async open(root: string, ids?: IdMapping): Promise<OverlaySnapshotter> {
    const meta = await SnapshotMetadata.open(root);
    const s = new OverlaySnapshotter(root, meta, ids);
    await mkdir(join(root, 'snapshots'), { recursive: true });
    const known = new Set(meta.entries().map(([, r]) => String(r.id)));
    for (const name of await readdir(join(root, 'snapshots'))) {
      if (!known.has(name)) await rm(join(root, 'snapshots', name), { recursive: true, force: true });
    }
    return s;
  }

  /** The directory holding a snapshot's own files. */
  private fsPath(r: SnapshotRecord): string {
    return r.dir ?? join(this.root, 'snapshots', String(r.id), 'fs');
  }

  /** Where a snapshot's own files are on the host (a committed layer's directory). */
  async dir(key: string): Promise<string> {
    return this.fsPath(this.require(key));
  }

  /**
   * Adds a committed layer that lives elsewhere — the base image's layer directory,
   * built once by setup and shared read-only by every session — under `name`, so that
   * snapshots can be prepared on it. Removing it forgets it; the directory stays.
   */
  importCommitted(name: string, dir: string, parent?: string): Promise<void> {
    return this.meta.update(async (tx) => {
      if (tx.get(name)) throw new SnapshotExists(`snapshot ${name}: already exists`, { key: name });
      if (parent !== undefined && tx.get(parent)?.kind !== 'committed')
        throw new SnapshotNotFound(`parent snapshot ${parent} does not exist: not found`, { key: parent });
      if (!(await stat(dir)).isDirectory()) throw new TypeError(`${dir} is not a directory`);
      tx.put(name, parent === undefined ? { id: tx.allocateId(), kind: 'committed', dir } : { id: tx.allocateId(), kind: 'committed', parent, dir });
    });
  }

  private workPath(id: number): string {
    return join(this.root, 'snapshots', String(id), 'work');
  }

  prepare(key: string, parent?: string): Promise<Mount[]> {
    return this.create('active', key, parent);
  }

  view(key: string, parent?: string): Promise<Mount[]> {
    return this.create('view', key, parent);
  }

  private create(kind: SnapshotKind, key: string, parent?: string): Promise<Mount[]> {
    return this.meta.update(async (tx) => {
      if (tx.get(key)) throw new SnapshotExists(`snapshot ${key}: already exists`, { key });
      if (parent !== undefined) {
        const p = tx.get(parent);
        if (!p) throw new SnapshotNotFound(`parent snapshot ${parent} does not exist: not found`, { key: parent });
        if (p.kind !== 'committed') throw new SnapshotKindError(`parent ${parent} is not committed`, { key: parent, kind: p.kind });
      }
      const record: SnapshotRecord = parent === undefined ? { id: tx.allocateId(), kind } : { id: tx.allocateId(), kind, parent };
      await mkdir(this.fsPath(record), { recursive: true, mode: 0o755 });
      if (kind === 'active') {
        await mkdir(this.workPath(record.id), { mode: 0o700 });
        if (parent !== undefined) {
          // containerd: the upper's root takes the owner of the layer below, so the
          // merged root does not change owner on the first write.
          const below = await stat(this.fsPath(tx.get(parent)!));
          await lchown(this.fsPath(record), below.uid, below.gid);
        } else {
          // The root of a base layer is container root's, so that it can write in `/`.
          const root = hostRoot(this.ids);
          await lchown(this.fsPath(record), root.uid, root.gid);
        }
      }
      tx.put(key, record);
      return this.mountsOf(tx, record);
    });
  }

  async mounts(key: string): Promise<Mount[]> {
    const record = this.require(key);
    return this.mountsOf(this.meta, record);
  }

  private mountsOf(tx: Pick<MetadataTx, 'get'>, record: SnapshotRecord): Mount[] {
    const lowers = this.chain(tx, record.parent).map((r) => this.fsPath(r));
    if (lowers.length === 0) {
      // containerd: a parentless snapshot is a bind mount of its own directory.
      return [{ type: 'bind', source: this.fsPath(record), options: [record.kind === 'active' ? 'rw' : 'ro', 'rbind'] }];
    }
    if (record.kind !== 'active') {
      if (lowers.length === 1) return [{ type: 'bind', source: lowers[0]!, options: ['ro', 'rbind'] }];
      return [{ type: 'overlay', source: 'overlay', options: ['index=off', `lowerdir=${lowers.join(':')}`] }];
    }
    return [
      {
        type: 'overlay',
        source: 'overlay',
        // overlayfs: lowerdir lists the top layer first; index=off as containerd, since
        // the same lower dirs are shared by many mounts.
        options: ['index=off', `lowerdir=${lowers.join(':')}`, `upperdir=${this.fsPath(record)}`, `workdir=${this.workPath(record.id)}`],
      },
    ];
  }

  /** The committed snapshots from `name` down to the base layer. */
  private chain(tx: Pick<MetadataTx, 'get'>, name: string | undefined): SnapshotRecord[] {
    const out: SnapshotRecord[] = [];
    for (let n = name; n !== undefined;) {
      const r = tx.get(n);
      if (!r) throw new SnapshotNotFound(`snapshot ${n} does not exist: not found`, { key: n });
      out.push(r);
      n = r.parent;
    }
    return out;
  }

  commit(name: string, key: string): Promise<void> {
    return this.meta.update(async (tx) => {
      const r = tx.get(key);
      if (!r) throw new SnapshotNotFound(`snapshot ${key} does not exist: not found`, { key });
      if (r.kind !== 'active') throw new SnapshotKindError(`snapshot ${key} is not active`, { key, kind: r.kind });
      if (tx.get(name)) throw new SnapshotExists(`snapshot ${name}: already exists`, { key: name });
      tx.delete(key);
      tx.put(name, { ...r, kind: 'committed' });
      // The workdir only serves a writable mount; a committed layer is read-only.
      await rm(this.workPath(r.id), { recursive: true, force: true });
    });
  }

  remove(key: string): Promise<void> {
    return this.meta.update(async (tx) => {
      const r = tx.get(key);
      if (!r) throw new SnapshotNotFound(`snapshot ${key} does not exist: not found`, { key });
      const child = tx.entries().find(([, c]) => c.parent === key);
      if (child) throw new SnapshotInUse(`snapshot ${key} is in use by ${child[0]}`, { key, child: child[0] });
      tx.delete(key);
      if (r.dir === undefined) await rm(join(this.root, 'snapshots', String(r.id)), { recursive: true, force: true });
    });
  }

  async stat(key: string): Promise<SnapshotInfo> {
    return info(key, this.require(key));
  }

  async list(): Promise<SnapshotInfo[]> {
    return this.meta
      .entries()
      .map(([key, r]) => info(key, r))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  private require(key: string): SnapshotRecord {
    const r = this.meta.get(key);
    if (!r) throw new SnapshotNotFound(`snapshot ${key} does not exist: not found`, { key });
    return r;
  }

  async changes(key: string, opts: { stream?: boolean } = {}): Promise<Change[]> {
    const r = this.require(key);
    // A view has no layer of its own.
    if (r.kind === 'view') return [];
    if (r.dir === undefined) return changesToContainer(await readLayerDir(this.fsPath(r), opts), this.ids);
    // An imported layer (the base image's) is read-only and shared by every session: read
    // once per process — a build's COPY reads its whole chain, busybox's ~400 entries too.
    // Owners are read as the container sees them, so the mapping is part of the key.
    const memo = `${r.dir}\0${JSON.stringify(this.ids ?? null)}`;
    let read = importedChanges.get(memo);
    if (!read) {
      read = readLayerDir(r.dir).then((changes) => changesToContainer(changes, this.ids));
      importedChanges.set(memo, read);
      read.catch(() => importedChanges.delete(memo));
    }
    return [...(await read)];
  }

  async apply(key: string, entries: readonly Change[]): Promise<void> {
    // A full session disk is the learner's to hear about, as a typed error.
    await this.applyEntries(key, entries).catch((e: unknown) => {
      throw asNoSpace(e);
    });
  }

  private async applyEntries(key: string, entries: readonly Change[]): Promise<void> {
    const r = this.require(key);
    if (r.kind !== 'active') throw new SnapshotKindError(`snapshot ${key} is not active`, { key, kind: r.kind });
    // moby pkg/archive: owners are shifted onto the host before anything is written, and
    // the parents a layer does not list are container root's.
    await writeLayerDir(this.fsPath(r), changesToHost(entries, this.ids), hostRoot(this.ids));
  }
}

function info(key: string, r: SnapshotRecord): SnapshotInfo {
  return r.parent === undefined ? { key, kind: r.kind } : { key, parent: r.parent, kind: r.kind };
}
