import type { Snapshotter } from '../drivers/snapshotter.js';
import type { Change } from '../layer/change.js';
import type { ImageRecord, ImageStore, LayerRecord } from '../images/image-store.js';
import type { ContainerRecord } from './container-record.js';

export interface DiffEntry {
  kind: 'A' | 'C' | 'D';
  path: string;
}

/** The paths an image's layers leave visible, applied base first with whiteouts. */
export function visiblePaths(layers: readonly LayerRecord[]): Set<string> {
  const paths = new Set<string>();
  const dropBelow = (dir: string) => {
    const prefix = `${dir}/`;
    for (const p of paths) if (p.startsWith(prefix)) paths.delete(p);
  };
  for (const layer of layers) {
    for (const f of layer.files) {
      if (f.kind === 'whiteout') {
        paths.delete(f.path);
        dropBelow(f.path);
      } else {
        if (f.kind === 'opaque') dropBelow(f.path);
        paths.add(f.path);
      }
    }
  }
  return paths;
}

/**
 * `docker diff`: each entry of the container layer, `D` for a whiteout, `C` when the
 * path exists below (a copied-up file or the parent directory of a change), `A`
 * otherwise. An opaque directory deletes what it hid: the lower entries directly in it
 * show as `D`. Docker lists a directory's additions and changes first (by name,
 * descending into directories), then its deletions (by name).
 */
export function containerDiff(upper: readonly Change[], lower: ReadonlySet<string>): DiffEntry[] {
  const entries: DiffEntry[] = upper.map((c) => ({
    kind: c.kind === 'whiteout' ? 'D' : lower.has(c.path) ? 'C' : 'A',
    path: c.path,
  }));
  const inUpper = new Set(upper.map((c) => c.path));
  for (const c of upper) {
    if (c.kind !== 'dir' || !c.opaque) continue;
    const prefix = `${c.path}/`;
    for (const p of lower) {
      if (p.startsWith(prefix) && !p.slice(prefix.length).includes('/') && !inUpper.has(p)) entries.push({ kind: 'D', path: p });
    }
  }
  const children = new Map<string, DiffEntry[]>();
  for (const e of entries) {
    const parent = e.path.slice(0, e.path.lastIndexOf('/')) || '/';
    let list = children.get(parent);
    if (!list) children.set(parent, (list = []));
    list.push(e);
  }
  const out: DiffEntry[] = [];
  const byName = (a: DiffEntry, b: DiffEntry) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  const walk = (dir: string) => {
    const list = children.get(dir) ?? [];
    for (const e of list.filter((x) => x.kind !== 'D').sort(byName)) {
      out.push(e);
      walk(e.path);
    }
    for (const e of list.filter((x) => x.kind === 'D').sort(byName)) out.push(e);
  };
  walk('/');
  return out;
}

/** `docker diff` of a container: its upper layer's changes against its image's paths, worked out once per image. */
export class ContainerDiffs {
  private readonly lowerCache = new WeakMap<ImageRecord, Set<string>>();

  constructor(private readonly deps: { snapshotter: Snapshotter; images: ImageStore }) {}

  async diff(c: ContainerRecord): Promise<DiffEntry[]> {
    const upper = await this.deps.snapshotter.changes(c.snapshotKey);
    return containerDiff(upper, this.lowerPaths(c.image));
  }

  private lowerPaths(image: ImageRecord): Set<string> {
    let paths = this.lowerCache.get(image);
    if (!paths) {
      const layers = image.chainIds.map((id) => this.deps.images.layers.get(id)).filter((l) => l !== undefined);
      paths = visiblePaths(layers);
      this.lowerCache.set(image, paths);
    }
    return paths;
  }
}
