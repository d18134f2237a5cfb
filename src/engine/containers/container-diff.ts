import type { Change } from '../layer/change.js';
import type { LayerRecord } from '../images/image-store.js';

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
 * otherwise — moby's overlay changes walk, sorted by path.
 */
export function containerDiff(upper: readonly Change[], lower: ReadonlySet<string>): DiffEntry[] {
  const out: DiffEntry[] = upper.map((c) => ({
    kind: c.kind === 'whiteout' ? 'D' : lower.has(c.path) ? 'C' : 'A',
    path: c.path,
  }));
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
