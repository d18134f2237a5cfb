import { InvalidLayer, LayerBreakout } from '../errors.js';
import type { Change } from './change.js';
import { utf8Length } from '../format/utf8.js';

/** Linux's limits, which a layer unpacked on a host meets: a name's bytes (NAME_MAX) and a
 * symlink target's (PATH_MAX less its NUL). The simulator refuses what the host would. */
export const NAME_MAX = 255;
export const LINK_TARGET_MAX = 4095;
export const PATH_MAX = 4096;

/** The components of an absolute, normalised path (`/etc/passwd` → `['etc', 'passwd']`). */
export function splitPath(path: string): string[] {
  return path === '/' ? [] : path.slice(1).split('/');
}

/** Throws unless `path` is a layer entry path: absolute, normalised, no `.`/`..`. */
export function checkLayerPath(path: string): void {
  if (path === '/') return;
  if (!path.startsWith('/') || path.endsWith('/') || path.includes('\0'))
    throw new InvalidLayer('layer path is not absolute and normalised', { path });
  for (const part of splitPath(path)) {
    if (part === '' || part === '.' || part === '..') throw new InvalidLayer('layer path is not absolute and normalised', { path });
  }
}

/** A tar entry name as a layer path: `./etc/`, `/etc` and `etc` are all `/etc` (an
 * absolute name is beneath the layer, as moby's `filepath.Join(dest, name)` puts it). A name
 * climbing out of the root with `..` is refused, as Docker's unpacker does (breakout). */
export function layerPath(name: string): string {
  if (name.includes('\0')) throw new InvalidLayer(`${quote(name)}: a name holds a NUL byte`, { name });
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    // moby pkg/archive: breakoutError(fmt.Errorf("%q is outside of %q", hdr.Name, dest)).
    if (part === '..') throw new LayerBreakout(`${quote(name)} is outside of "/"`, { name });
    if (utf8Length(part) > NAME_MAX) throw new InvalidLayer(`${quote(name)}: file name too long`, { name: name.slice(0, 300) });
    parts.push(part);
  }
  const path = `/${parts.join('/')}`;
  if (utf8Length(path) >= PATH_MAX) throw new InvalidLayer(`${quote(name.slice(0, 100))}…: file name too long`, { name: name.slice(0, 300) });
  return path;
}

/**
 * Refuses a layer entry at `path` whose parent, in the same layer, is not a directory. moby
 * pkg/archive unpacks in a chroot, so a symlink it made earlier resolves inside the rootfs;
 * the server unpacks on the host, so a symlink of the layer is never used as the parent of
 * a later entry (that is how `x -> /host/dir` then `x/f` writes on the host). A file as the
 * parent is Docker's ENOTDIR.
 */
export function checkParents(entries: ReadonlyMap<string, Change>, path: string, name = path): void {
  for (let i = path.indexOf('/', 1); i > 0; i = path.indexOf('/', i + 1)) {
    const parent = entries.get(path.slice(0, i));
    if (parent === undefined || parent.kind === 'dir') continue;
    if (parent.kind === 'symlink') {
      throw new LayerBreakout(`invalid symlink ${quote(parent.path)} -> ${quote(parent.target)}: ${quote(name)} is beneath it`, {
        path: parent.path,
        target: parent.target,
        name,
      });
    }
    throw new InvalidLayer(`${quote(name)}: ${parent.path} is not a directory`, { path: parent.path, name });
  }
}

/** Checks layer entries about to be unpacked (a snapshotter's `apply`): normalised paths,
 * one entry per path, and no entry beneath a non-directory of the same set. */
export function checkLayerEntries(changes: readonly Change[]): void {
  const byPath = new Map<string, Change>();
  for (const c of changes) {
    checkLayerPath(c.path);
    if (byPath.has(c.path)) throw new InvalidLayer('duplicate path in layer', { path: c.path });
    byPath.set(c.path, c);
  }
  for (const c of changes) checkParents(byPath, c.path);
}

/** Go's %q for the names in messages. */
function quote(s: string): string {
  return JSON.stringify(s);
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
