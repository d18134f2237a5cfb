import { InvalidLayer } from '../errors.js';

/** The components of an absolute, normalised path (`/etc/passwd` → `['etc', 'passwd']`). */
export function splitPath(path: string): string[] {
  return path === '/' ? [] : path.slice(1).split('/');
}

/** Throws unless `path` is a layer entry path: absolute, normalised, no `.`/`..`. */
export function checkLayerPath(path: string): void {
  if (path === '/') return;
  if (!path.startsWith('/') || path.endsWith('/') || path.includes('\0')) throw new InvalidLayer('layer path is not absolute and normalised', { path });
  for (const part of splitPath(path)) {
    if (part === '' || part === '.' || part === '..') throw new InvalidLayer('layer path is not absolute and normalised', { path });
  }
}

/** A tar entry name as a layer path: `./etc/`, `/etc` and `etc` are all `/etc`. A name
 * climbing out of the root with `..` is refused, as Docker's unpacker does (breakout). */
export function layerPath(name: string): string {
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') throw new InvalidLayer('tar entry name escapes the root', { name });
    parts.push(part);
  }
  return `/${parts.join('/')}`;
}

/**
 * Tree order: a directory, then its entries by name, depth first — the order a walk of
 * a directory with sorted entries gives (Go's filepath.Walk, which Docker's and
 * BuildKit's layer writers use). It differs from plain string order when a name holds a
 * character below `/`: tree order puts `/a/b` before `/a-c`.
 */
export function byTreeOrder(a: { path: string }, b: { path: string }): number {
  const x = a.path;
  const y = b.path;
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const cx = x.charCodeAt(i);
    const cy = y.charCodeAt(i);
    if (cx === cy) continue;
    if (cx === 0x2f) return -1;
    if (cy === 0x2f) return 1;
    return cx - cy;
  }
  return x.length - y.length;
}
