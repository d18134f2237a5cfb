import type { VolumeStore } from '../engine/drivers/volume-store.js';
import { contentSize, type Change } from '../engine/layer/change.js';
import { applyChanges, newDir, type DirNode, type Layer } from './layer-tree.js';
import { SIM_STATE_DIR } from './sim-runtime.js';

/** Where a volume's files seem to live (moby's `<root>/volumes/<name>/_data`), beside the memory snapshotter's state dir. */
const volumeDir = (name: string) => `${SIM_STATE_DIR}/volumes/${name}/_data`;

/**
 * The simulator's volumes: a directory tree each, in memory, as a layer of its own that
 * no snapshot holds — so what a container writes there is in no container layer, and
 * `docker diff` and `commit` never see it, as on the Linux backend's bind mounts.
 */
export class MemoryVolumeStore implements VolumeStore {
  readonly #volumes = new Map<string, Layer>();
  readonly #now: () => number;

  constructor(now: () => number = () => Date.now()) {
    this.#now = now;
  }

  async create(name: string): Promise<string> {
    // moby's local driver: the volume's _data dir, 0755, root's.
    if (!this.#volumes.has(name))
      this.#volumes.set(name, { id: -1, root: newDir({ mode: 0o755, uid: 0, gid: 0, mtimeMs: this.#now() }), writable: true });
    return volumeDir(name);
  }

  async remove(name: string): Promise<void> {
    const v = this.#volumes.get(name);
    if (v) v.writable = false;
    this.#volumes.delete(name);
  }

  async size(name: string): Promise<number> {
    const v = this.#volumes.get(name);
    return v ? treeBytes(v.root) : 0;
  }

  async populate(name: string, root: { mode: number; uid: number; gid: number }, entries: readonly Change[]): Promise<boolean> {
    const v = this.#volumes.get(name);
    if (!v || v.root.children.size > 0) return false;
    applyChanges(v.root, entries, this.#now());
    v.root.mode = root.mode & 0o7777;
    v.root.uid = root.uid;
    v.root.gid = root.gid;
    return true;
  }

  async list(): Promise<string[]> {
    return [...this.#volumes.keys()].sort();
  }

  /** The tree a runtime mounts for `source` (what `create` returned), or undefined once removed. */
  layer(source: string): Layer | undefined {
    const m = /^.*\/volumes\/([^/]+)\/_data$/.exec(source);
    return m ? this.#volumes.get(m[1]!) : undefined;
  }
}

function treeBytes(dir: DirNode): number {
  let n = 0;
  for (const node of dir.children.values()) {
    if (node.kind === 'file') n += contentSize(node.content);
    else if (node.kind === 'dir') n += treeBytes(node);
  }
  return n;
}
