import { shortId } from '../engine/digest.js';
import type { LayerState, StateSnapshot } from '../engine/state.js';
import { humanSize, trimCreatedBy } from './docker-format.js';

/**
 * The merged file tree of an image, a container or a layer, the way `dive` shows it:
 * every visible path with the layer its visible version comes from, the top layer's
 * own changes (added / changed / deleted), and the bytes that later layers made
 * useless (wasted) with an efficiency score.
 */
export type FileTreeTarget = { image: string } | { container: string } | { layer: string };

export type EntryChange = 'added' | 'changed' | 'deleted';
type LayerFile = LayerState['files'][number];
type EntryKind = 'file' | 'dir' | 'symlink';

export interface FileTree {
  target: FileTreeTarget;
  /** The stack, base first; the last one is the layer whose changes `entries` mark. */
  layers: FileTreeLayer[];
  /** The merged view in tree order (parents first, siblings by name), plus the top layer's deletions. */
  entries: FileTreeEntry[];
  /** Every byte of every layer (what is stored and shipped). */
  totalBytes: number;
  /** Bytes of versions a later layer overwrote or deleted: shipped, never seen. */
  wastedBytes: number;
  /** (total − wasted) / total; 1 when nothing is stored. */
  efficiency: number;
  /** Paths with more than one version or a deleted one, most wasted bytes first. */
  inefficiencies: { path: string; versions: number; wastedBytes: number }[];
}

export interface FileTreeLayer {
  key: string;
  index: number;
  kind: 'layer' | 'container';
  /** 12 hex of the diffID, or of the container ID for its writable layer. */
  shortId: string;
  createdBy: string;
  size: number;
  sizeLabel: string;
  changes: { path: string; kind: EntryKind; size: number; change: EntryChange }[];
  /** Bytes this layer holds that a later layer hides. */
  wastedBytes: number;
}

export interface FileTreeEntry {
  key: string;
  path: string;
  name: string;
  /** 0 for an entry of `/`. */
  depth: number;
  kind: EntryKind;
  /** A directory's size is what it holds, as dive shows it. */
  size: number;
  /** The layer the visible version comes from (index into `layers`). */
  layerIndex: number;
  /** What the top layer did to this path; null when it did not touch it. */
  change: EntryChange | null;
  /** A path the top layer deleted: shown, but not part of the merged view. */
  deleted: boolean;
  /** A directory no layer lists itself, implied by the paths below it. */
  implicit: boolean;
}

interface Node {
  name: string;
  path: string;
  children: Map<string, Node>;
  kind: EntryKind;
  size: number;
  layerIndex: number;
  implicit: boolean;
  ghost: boolean;
}

interface Source {
  key: string;
  kind: 'layer' | 'container';
  shortId: string;
  createdBy: string;
  files: readonly LayerFile[];
}

export function toFileTree(state: StateSnapshot, target: FileTreeTarget): FileTree | null {
  const sources = stackOf(state, target);
  if (!sources) return null;

  const root: Node = newNode('', '', 'dir', 0, -1, true);
  const versions = new Map<string, { versions: number; wastedBytes: number }>();
  const layers: FileTreeLayer[] = sources.map((s, index) => {
    const size = s.files.reduce((n, f) => n + (f.kind === 'whiteout' ? 0 : f.size), 0);
    return {
      key: s.key,
      index,
      kind: s.kind,
      shortId: s.shortId,
      createdBy: s.createdBy,
      size,
      sizeLabel: humanSize(size),
      changes: [],
      wastedBytes: 0,
    };
  });
  let totalBytes = 0;
  let wastedBytes = 0;

  const waste = (node: Node) => {
    if (!node.implicit && node.kind !== 'dir' && node.size > 0) {
      wastedBytes += node.size;
      layers[node.layerIndex]!.wastedBytes += node.size;
      stat(node.path).wastedBytes += node.size;
    }
    for (const child of node.children.values()) waste(child);
  };
  const stat = (path: string) => {
    let s = versions.get(path);
    if (!s) versions.set(path, (s = { versions: 0, wastedBytes: 0 }));
    return s;
  };

  sources.forEach((source, index) => {
    const layer = layers[index]!;
    const deletedHere = new Map<string, Node>();
    // overlayfs / OCI: whiteouts and opaque dirs hide what the lower layers hold; apply
    // them first so the layer's own entries under an opaque dir survive.
    for (const f of source.files) {
      if (f.kind === 'whiteout') {
        const { parent, node } = lookup(root, f.path);
        if (parent && node) {
          waste(node);
          parent.children.delete(node.name);
          deletedHere.set(f.path, node);
        } else {
          deletedHere.set(f.path, newNode(baseName(f.path), f.path, 'file', 0, index, false));
        }
      } else if (f.kind === 'opaque') {
        const { node } = lookup(root, f.path);
        if (node) {
          for (const child of node.children.values()) waste(child);
          node.children.clear();
        }
      }
    }
    for (const f of source.files) {
      if (f.kind === 'whiteout') continue;
      const kind: EntryKind = f.kind === 'opaque' ? 'dir' : f.kind;
      totalBytes += f.size;
      const parent = ensureDir(root, f.path, index, waste);
      const name = baseName(f.path);
      const existing = parent.children.get(name);
      let change: EntryChange = 'added';
      if (existing) {
        change = existing.layerIndex === index && existing.implicit ? 'added' : 'changed';
        // overlayfs: a non-directory replaces a directory together with all it held.
        if (kind !== 'dir') for (const child of existing.children.values()) waste(child);
        if (kind !== 'dir') existing.children.clear();
        if (existing.kind !== 'dir' && !existing.implicit) waste({ ...existing, children: new Map() });
        Object.assign(existing, { kind, size: f.size, layerIndex: index, implicit: false });
      } else {
        parent.children.set(name, newNode(name, f.path, kind, f.size, index, false));
        if (deletedHere.delete(f.path)) change = 'changed';
      }
      if (kind !== 'dir') stat(f.path).versions++;
      layer.changes.push({ path: f.path, kind, size: f.size, change });
    }
    for (const [path, node] of deletedHere) layer.changes.push({ path, kind: node.kind, size: sizeOf(node), change: 'deleted' });
    layer.changes.sort((a, b) => comparePaths(a.path, b.path));
    if (index === sources.length - 1) {
      // dive: the selected layer's deletions stay in the tree, marked, so the learner sees what went.
      for (const [path, node] of deletedHere) {
        const parent = ensureDir(root, path, index, waste, true);
        if (!parent.children.has(node.name)) parent.children.set(node.name, { ...node, ghost: true, size: sizeOf(node), children: new Map() });
      }
    }
  });

  const top = layers[layers.length - 1];
  const changeOf = new Map<string, EntryChange>(top ? top.changes.map((c) => [c.path, c.change]) : []);
  const entries: FileTreeEntry[] = [];
  const walk = (node: Node, depth: number): number => {
    let total = 0;
    for (const child of [...node.children.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const entry: FileTreeEntry = {
        key: child.path,
        path: child.path,
        name: child.name,
        depth,
        kind: child.kind,
        size: child.size,
        layerIndex: child.layerIndex,
        change: changeOf.get(child.path) ?? null,
        deleted: child.ghost,
        implicit: child.implicit,
      };
      entries.push(entry);
      if (child.kind === 'dir') entry.size = walk(child, depth + 1);
      if (!child.ghost) total += entry.size;
    }
    return total;
  };
  walk(root, 0);

  const inefficiencies = [...versions.entries()]
    .filter(([, s]) => s.versions > 1 || s.wastedBytes > 0)
    .map(([path, s]) => ({ path, versions: s.versions, wastedBytes: s.wastedBytes }))
    .sort((a, b) => b.wastedBytes - a.wastedBytes || comparePaths(a.path, b.path));

  return {
    target,
    layers,
    entries,
    totalBytes,
    wastedBytes,
    efficiency: totalBytes === 0 ? 1 : (totalBytes - wastedBytes) / totalBytes,
    inefficiencies,
  };
}

/** The layers to merge, base first: an image's, a layer's ancestry, or a container's image plus its upper dir. */
function stackOf(state: StateSnapshot, target: FileTreeTarget): Source[] | null {
  const layersById = new Map(state.layers.map((l) => [l.chainId, l]));
  const fromLayer = (l: LayerState): Source => ({
    key: l.chainId,
    kind: 'layer',
    shortId: shortId(l.diffId),
    createdBy: trimCreatedBy(l.createdBy),
    files: l.files,
  });
  const fromImage = (imageId: string): Source[] | null => {
    const image = state.images.find((i) => i.id === imageId);
    if (!image) return null;
    const out: Source[] = [];
    for (const chainId of image.chainIds) {
      const l = layersById.get(chainId);
      if (l) out.push(fromLayer(l));
    }
    return out;
  };
  if ('image' in target) return fromImage(target.image);
  if ('layer' in target) {
    const chain: LayerState[] = [];
    for (let l = layersById.get(target.layer); l; l = l.parent ? layersById.get(l.parent) : undefined) chain.push(l);
    return chain.length ? chain.reverse().map(fromLayer) : null;
  }
  const c = state.containers.find((x) => x.id === target.container);
  if (!c) return null;
  const below = fromImage(c.imageId) ?? [];
  return [...below, { key: `container:${c.id}`, kind: 'container', shortId: c.id.slice(0, 12), createdBy: c.command, files: c.upper }];
}

function newNode(name: string, path: string, kind: EntryKind, size: number, layerIndex: number, implicit: boolean): Node {
  return { name, path, children: new Map(), kind, size, layerIndex, implicit, ghost: false };
}

function segments(path: string): string[] {
  return path.split('/').filter(Boolean);
}

function baseName(path: string): string {
  const s = segments(path);
  return s[s.length - 1] ?? '';
}

function lookup(root: Node, path: string): { parent: Node | null; node: Node | null } {
  let parent: Node | null = null;
  let node: Node | null = root;
  for (const seg of segments(path)) {
    parent = node;
    node = node?.children.get(seg) ?? null;
    if (!node) return { parent, node: null };
  }
  return { parent, node };
}

/** The parent directory of `path`, made where missing; a file in the way becomes a directory. */
function ensureDir(root: Node, path: string, layerIndex: number, waste: (n: Node) => void, ghost = false): Node {
  const segs = segments(path);
  let node = root;
  let at = '';
  for (const seg of segs.slice(0, -1)) {
    at += `/${seg}`;
    let next = node.children.get(seg);
    if (!next) {
      next = newNode(seg, at, 'dir', 0, layerIndex, true);
      next.ghost = ghost;
      node.children.set(seg, next);
    } else if (next.kind !== 'dir') {
      waste({ ...next, children: new Map() });
      Object.assign(next, { kind: 'dir', size: 0, layerIndex, implicit: true });
    }
    node = next;
  }
  return node;
}

function sizeOf(node: Node): number {
  if (node.kind !== 'dir') return node.size;
  let n = 0;
  for (const c of node.children.values()) n += sizeOf(c);
  return n;
}

/** Tree order: `/a` before `/a/b` before `/a-b`, as `docker diff` and tar list paths. */
function comparePaths(a: string, b: string): number {
  const sa = segments(a);
  const sb = segments(b);
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    if (sa[i]! !== sb[i]!) return sa[i]! < sb[i]! ? -1 : 1;
  }
  return sa.length - sb.length;
}
