import type { Mount, SnapshotInfo, SnapshotKind, Snapshotter } from '../engine/drivers/snapshotter.js';
import { contentBytes, type Change } from '../engine/layer/change.js';
import { SLICE_BYTES, yieldToLoop } from '../engine/digest-stream.js';
import { SliceBudget } from '../engine/loop-slices.js';
import { checkLayerEntries } from '../engine/layer/layer-path.js';
import { SnapshotExists, SnapshotInUse, SnapshotKindError, SnapshotNotFound } from '../engine/errors.js';
import { applyChanges, newDir, treeChanges, type Layer } from './layer-tree.js';
import type { SimFs } from './sim-fs.js';
import { UnionFs } from './union-fs.js';

export interface MemorySnapshotterOptions {
  /** Where the snapshot dirs would live; only used to describe mounts. */
  root?: string;
  /** The clock for mtimes the union view sets (default `Date.now`). */
  now?: () => number;
  /** mtime (ms) of entries written by `apply`: the mtime of a layer tar's entries,
   * SOURCE_DATE_EPOCH, default 0. */
  appliedMtimeMs?: number;
}

interface Snapshot {
  key: string;
  parent: string | undefined;
  kind: SnapshotKind;
  layer: Layer;
}

/**
 * containerd's overlay snapshotter, in memory. Each snapshot has a numbered dir, as
 * `/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/<id>/fs`; its
 * mounts describe the overlay mount that would be made, and `fs(mounts)` is the union
 * view a simulated process sees through them. A commit freezes the layer in place (the
 * id stays, as containerd's does), so the layers above share it and nothing is copied.
 */
/** What reading one streamed file counts for, besides its bytes (see `apply`). */
const FILE_COST = SLICE_BYTES / 256;

export class MemorySnapshotter implements Snapshotter {
  readonly #snapshots = new Map<string, Snapshot>();
  readonly #byDir = new Map<string, Layer>();
  readonly #root: string;
  readonly #now: () => number;
  readonly #appliedMtimeMs: number;
  #nextId = 1;

  constructor(opts: MemorySnapshotterOptions = {}) {
    this.#root = opts.root ?? '/var/lib/layerlab/snapshots';
    this.#now = opts.now ?? Date.now;
    this.#appliedMtimeMs = opts.appliedMtimeMs ?? 0;
  }

  async prepare(key: string, parent?: string): Promise<Mount[]> {
    return this.#mounts(this.#create('active', key, parent));
  }

  async view(key: string, parent?: string): Promise<Mount[]> {
    return this.#mounts(this.#create('view', key, parent));
  }

  async mounts(key: string): Promise<Mount[]> {
    const s = this.#get(key);
    if (s.kind === 'committed') throw new SnapshotKindError(`snapshot ${key} is committed and has no mounts`, { key, kind: s.kind });
    return this.#mounts(s);
  }

  async commit(name: string, key: string): Promise<void> {
    const s = this.#get(key);
    if (s.kind !== 'active') throw new SnapshotKindError(`snapshot ${key} is not active`, { key, kind: s.kind });
    if (this.#snapshots.has(name)) throw new SnapshotExists(`snapshot ${name} already exists`, { key: name });
    this.#snapshots.delete(key);
    s.key = name;
    s.kind = 'committed';
    s.layer.writable = false;
    this.#snapshots.set(name, s);
  }

  async remove(key: string): Promise<void> {
    const s = this.#get(key);
    for (const other of this.#snapshots.values()) {
      if (other.parent === key) throw new SnapshotInUse(`snapshot ${key} is the parent of ${other.key}`, { key, child: other.key });
    }
    this.#snapshots.delete(key);
    this.#byDir.delete(this.#fsDir(s.layer.id));
    s.layer.writable = false;
  }

  async stat(key: string): Promise<SnapshotInfo> {
    return info(this.#get(key));
  }

  async list(): Promise<SnapshotInfo[]> {
    return [...this.#snapshots.values()].map(info).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async changes(key: string): Promise<Change[]> {
    return treeChanges(this.#get(key).layer.root);
  }

  async apply(key: string, changes: readonly Change[]): Promise<void> {
    const s = this.#get(key);
    if (s.kind !== 'active') throw new SnapshotKindError(`snapshot ${key} is not active`, { key, kind: s.kind });
    // The same refusals as the overlay snapshotter's, whose unpacking never goes through a link.
    checkLayerEntries(changes);
    // A layer held in memory: a streamed file's bytes are read into it, one file after
    // another with a turn of the event loop every slice (a loaded layer of 30 000 files read
    // at once held the loop for seconds).
    const held: Change[] = [];
    const budget = new SliceBudget(SLICE_BYTES);
    for (const c of changes) {
      if (c.kind !== 'file' || c.content.type !== 'stream') held.push(c);
      else {
        held.push({ ...c, content: await contentBytes(c.content, c.path) });
        // A file's read costs a few async steps whatever its size: a slice is 256 files at most.
        if (budget.spend(FILE_COST + c.content.size)) await yieldToLoop();
      }
    }
    applyChanges(s.layer.root, held, this.#appliedMtimeMs);
  }

  /** The union view of mounts this snapshotter described: what the process whose rootfs
   * they are sees. A view's (or a committed layer's) mounts give a read-only view.
   * `init` is a lower the runtime puts right below the upper (Docker's init layer,
   * holding the mount points of its bind mounts), as the Linux runtime adds a lowerdir. */
  fs(mounts: readonly Mount[], init?: Layer): SimFs {
    if (mounts.length !== 1) throw new TypeError(`expected one rootfs mount, got ${mounts.length}`);
    const m = mounts[0]!;
    const above = init ? [init] : [];
    if (m.type === 'bind') {
      const layer = this.#layerAt(m.source);
      return m.options.includes('ro') ? new UnionFs(undefined, [...above, layer], this.#now) : new UnionFs(layer, above, this.#now);
    }
    if (m.type !== 'overlay') throw new TypeError(`unsupported mount type ${m.type}`);
    const option = (name: string) => m.options.find((o) => o.startsWith(`${name}=`))?.slice(name.length + 1);
    const lowers = (option('lowerdir') ?? '')
      .split(':')
      .filter((d) => d !== '')
      .map((d) => this.#layerAt(d));
    const upperdir = option('upperdir');
    return new UnionFs(upperdir === undefined ? undefined : this.#layerAt(upperdir), [...above, ...lowers], this.#now);
  }

  #create(kind: SnapshotKind, key: string, parent: string | undefined): Snapshot {
    if (this.#snapshots.has(key)) throw new SnapshotExists(`snapshot ${key} already exists`, { key });
    if (parent !== undefined) {
      const p = this.#get(parent);
      if (p.kind !== 'committed') throw new SnapshotKindError(`parent ${parent} is not committed`, { key: parent, kind: p.kind });
    }
    const layer: Layer = { id: this.#nextId++, root: newDir({ mode: 0o755, uid: 0, gid: 0, mtimeMs: this.#now() }), writable: kind === 'active' };
    const s: Snapshot = { key, parent, kind, layer };
    this.#snapshots.set(key, s);
    this.#byDir.set(this.#fsDir(layer.id), layer);
    return s;
  }

  #get(key: string): Snapshot {
    const s = this.#snapshots.get(key);
    if (s === undefined) throw new SnapshotNotFound(`snapshot ${key} does not exist`, { key });
    return s;
  }

  #fsDir(id: number): string {
    return `${this.#root}/${id}/fs`;
  }

  #layerAt(dir: string): Layer {
    const layer = this.#byDir.get(dir);
    if (layer === undefined) throw new SnapshotNotFound(`no snapshot at ${dir}`, { key: dir });
    return layer;
  }

  /** containerd overlay's mounts: no parent → a bind of the snapshot's own dir; a view
   * of one layer → a read-only bind of it; otherwise overlay with `lowerdir=` top-first,
   * plus `upperdir=`/`workdir=` when active (an overlay of lowers only is read-only). */
  #mounts(s: Snapshot): Mount[] {
    const lowers: string[] = [];
    for (let p = s.parent; p !== undefined; p = this.#snapshots.get(p)?.parent) {
      lowers.push(this.#fsDir(this.#get(p).layer.id));
    }
    const own = this.#fsDir(s.layer.id);
    if (lowers.length === 0) return [{ type: 'bind', source: own, options: ['rbind', s.kind === 'active' ? 'rw' : 'ro'] }];
    if (s.kind !== 'active') {
      if (lowers.length === 1) return [{ type: 'bind', source: lowers[0]!, options: ['rbind', 'ro'] }];
      return [{ type: 'overlay', source: 'overlay', options: [`lowerdir=${lowers.join(':')}`] }];
    }
    return [
      {
        type: 'overlay',
        source: 'overlay',
        options: [`lowerdir=${lowers.join(':')}`, `upperdir=${own}`, `workdir=${this.#root}/${s.layer.id}/work`],
      },
    ];
  }
}

function info(s: Snapshot): SnapshotInfo {
  return s.parent === undefined ? { key: s.key, kind: s.kind } : { key: s.key, parent: s.parent, kind: s.kind };
}
