import type { Snapshotter } from '../drivers/snapshotter.js';
import type { Digest } from '../digest.js';
import type { Change } from '../layer/change.js';

/**
 * What a container on an image chain would see, as layer entries by path: each layer's
 * entries applied in order, whiteouts and opaque directories hiding what is below (the
 * OCI image spec's "applying changesets"). COPY reads it to know whether a destination
 * is a directory and with what owner and mode its parents already exist; COPY --from
 * reads a stage's files from it; --chown reads /etc/passwd from it.
 */
export class RootfsView {
  constructor(private readonly entries: Map<string, Change>) {}

  get(path: string): Change | undefined {
    return this.entries.get(path);
  }

  isDir(path: string): boolean {
    return path === '/' || this.resolve(path)?.kind === 'dir';
  }

  /** Follows symlinks (absolute and relative) to the entry a path names. */
  resolve(path: string, depth = 0): Change | undefined {
    const entry = this.entries.get(path);
    if (entry?.kind !== 'symlink' || depth > 40) return entry;
    const target = entry.target.startsWith('/') ? entry.target : `${path.slice(0, path.lastIndexOf('/'))}/${entry.target}`;
    return this.resolve(normalise(target), depth + 1);
  }

  /** Every entry at or below `path`, in path order. */
  under(path: string): Change[] {
    const prefix = path === '/' ? '/' : `${path}/`;
    return [...this.entries.values()].filter((c) => c.path === path || c.path.startsWith(prefix)).sort((a, b) => (a.path < b.path ? -1 : 1));
  }

  all(): Change[] {
    return [...this.entries.values()];
  }
}

export function applyLayer(entries: Map<string, Change>, changes: readonly Change[]): void {
  const dropBelow = (path: string) => {
    const prefix = `${path}/`;
    for (const p of [...entries.keys()]) if (p.startsWith(prefix)) entries.delete(p);
  };
  for (const c of changes) {
    if (c.kind === 'whiteout') {
      entries.delete(c.path);
      dropBelow(c.path);
      continue;
    }
    // overlayfs: a non-directory hides whatever the lower layers hold beneath its path.
    if (c.kind !== 'dir' || c.opaque) dropBelow(c.path);
    const { opaque: _opaque, ...rest } = c as Change & { opaque?: boolean };
    entries.set(c.path, rest as Change);
  }
}

/** The merged view of a layer chain (chainIDs base first), reading each committed
 * layer's entries once per `memo`. */
export async function rootfsView(snapshotter: Snapshotter, chain: readonly Digest[], memo: Map<string, Change[]>): Promise<RootfsView> {
  const entries = new Map<string, Change>();
  for (const chainId of chain) {
    let changes = memo.get(chainId);
    if (!changes) {
      changes = await snapshotter.changes(chainId);
      memo.set(chainId, changes);
    }
    applyLayer(entries, changes);
  }
  return new RootfsView(entries);
}

/** `/a/./b/../c` → `/a/c`; never above `/`. */
export function normalise(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}
