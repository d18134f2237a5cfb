import { contentSize } from '../engine/layer/change.js';
import { SimFsError, type SimFs, type SimFsCode, type SimStat } from './sim-fs.js';
import { WHITEOUT, newDir, type DirNode, type FileNode, type Layer, type Node } from './layer-tree.js';

/** A node and the layer it comes from: 0 is the upper when there is one, then the
 * lowers top-first, as overlayfs's `lowerdir=` lists them. */
interface Level<N extends Node = Node> {
  layer: number;
  node: N;
}

/** A directory of the merged view: its dirs in every layer that contributes, top
 * first, down to the first opaque one. */
interface Frame {
  name: string;
  dirs: Level<DirNode>[];
}

interface Found {
  top: Level;
  /** The merged dirs, when `top` is a dir. */
  dirs: Level<DirNode>[];
}

/** A resolved path: its parent directory (with every ancestor) and what is there. */
interface Located {
  frames: Frame[];
  name: string;
  found: Found | undefined;
}

// Linux: MAXSYMLINKS, the number of symlinks one lookup may follow before ELOOP.
const MAX_SYMLINKS = 40;
// ext4 and overlayfs report a directory's size as one 4 KiB block.
const DIR_SIZE = 4096;

const encoder = new TextEncoder();

/**
 * The merged view of an overlay mount, with overlayfs's rules (Documentation/
 * filesystems/overlayfs.rst): lookups go top-down through the upper and the lowers; a
 * whiteout hides the path below it; an opaque dir hides everything below it in lower
 * layers; the first change to a lower file or dir copies it up (the whole file, and its
 * parent dirs with their metadata); deleting a path that exists in a lower leaves a
 * whiteout; a dir created where a whiteout is becomes opaque; renaming a dir that has a
 * lower part fails with EXDEV (no `redirect_dir`), so `mv` falls back to copying.
 * Without an upper (a view), every write is EROFS.
 */
export class UnionFs implements SimFs {
  readonly #upper: Layer | undefined;
  readonly #layers: readonly Layer[];
  readonly #now: () => number;

  constructor(upper: Layer | undefined, lowers: readonly Layer[], now: () => number) {
    this.#upper = upper;
    this.#layers = upper ? [upper, ...lowers] : [...lowers];
    this.#now = now;
  }

  stat(path: string): SimStat {
    return statOf(this.#existing(path, true));
  }

  lstat(path: string): SimStat {
    return statOf(this.#existing(path, false));
  }

  exists(path: string): boolean {
    try {
      this.#existing(path, true);
      return true;
    } catch (e) {
      if (e instanceof SimFsError) return false;
      throw e;
    }
  }

  readFile(path: string): Uint8Array {
    const { top } = this.#existing(path, true);
    if (top.node.kind === 'dir') throw new SimFsError('EISDIR', path);
    const file = top.node as FileNode;
    // The simulator holds no bytes for `external` content (the busybox binary); it unpacks streamed content into bytes.
    if (file.content.type !== 'bytes') throw new SimFsError('EACCES', path);
    return file.content.bytes.slice();
  }

  writeFile(path: string, data: Uint8Array, opts: { append?: boolean; mode?: number } = {}): void {
    const loc = this.#resolve(path, true);
    if (loc.found === undefined) {
      if (path.endsWith('/')) throw new SimFsError('EISDIR', path);
      const parent = this.#copyUpDir(path, loc.frames);
      const now = this.#now();
      parent.children.set(loc.name, {
        kind: 'file',
        mode: (opts.mode ?? 0o644) & 0o7777,
        uid: 0,
        gid: 0,
        mtimeMs: now,
        content: { type: 'bytes', bytes: data.slice() },
      });
      parent.mtimeMs = now;
      return;
    }
    if (loc.found.top.node.kind === 'dir') throw new SimFsError('EISDIR', path);
    const file = this.#copyUp(path, loc) as FileNode;
    let bytes = data.slice();
    if (opts.append) {
      if (file.content.type !== 'bytes') throw new SimFsError('EACCES', path);
      bytes = new Uint8Array(file.content.bytes.length + data.length);
      bytes.set(file.content.bytes);
      bytes.set(data, file.content.bytes.length);
    }
    file.content = { type: 'bytes', bytes };
    file.mtimeMs = this.#now();
  }

  mkdir(path: string, opts: { mode?: number } = {}): void {
    const loc = this.#resolve(path, false);
    if (loc.found !== undefined || loc.frames.length === 0) throw new SimFsError('EEXIST', path);
    const parent = this.#copyUpDir(path, loc.frames);
    const now = this.#now();
    // overlayfs: a dir made over a whiteout is opaque, or the lower dir's entries would show again.
    const opaque = parent.children.get(loc.name)?.kind === 'whiteout';
    parent.children.set(loc.name, newDir({ mode: (opts.mode ?? 0o755) & 0o7777, uid: 0, gid: 0, mtimeMs: now }, opaque));
    parent.mtimeMs = now;
  }

  readdir(path: string): string[] {
    const found = this.#existing(path, true);
    if (found.top.node.kind !== 'dir') throw new SimFsError('ENOTDIR', path);
    return [...merged(found.dirs).keys()].sort();
  }

  unlink(path: string): void {
    const loc = this.#resolve(path, false);
    if (loc.found === undefined) throw new SimFsError('ENOENT', path);
    if (loc.found.top.node.kind === 'dir') throw new SimFsError('EISDIR', path);
    this.#remove(path, loc);
  }

  rmdir(path: string): void {
    const loc = this.#resolve(path, false);
    if (loc.found === undefined) throw new SimFsError('ENOENT', path);
    if (loc.found.top.node.kind !== 'dir') throw new SimFsError('ENOTDIR', path);
    if (loc.frames.length === 0) throw new SimFsError('EINVAL', path);
    if (merged(loc.found.dirs).size > 0) throw new SimFsError('ENOTEMPTY', path);
    this.#remove(path, loc);
  }

  rename(from: string, to: string): void {
    const src = this.#resolve(from, false);
    if (src.found === undefined) throw new SimFsError('ENOENT', from);
    const dst = this.#resolve(to, false);
    if (src.frames.length === 0 || dst.frames.length === 0) throw new SimFsError('EINVAL', from);
    const srcPath = canonical(src);
    const dstPath = canonical(dst);
    if (srcPath === dstPath) return;
    const srcNode = src.found.top.node;
    if (srcNode.kind === 'dir') {
      if (dstPath.startsWith(`${srcPath}/`)) throw new SimFsError('EINVAL', from);
      if (dst.found !== undefined) {
        if (dst.found.top.node.kind !== 'dir') throw new SimFsError('ENOTDIR', to);
        if (merged(dst.found.dirs).size > 0) throw new SimFsError('ENOTEMPTY', to);
      }
      // overlayfs without redirect_dir: only a dir wholly in the upper can be renamed.
      if (src.found.dirs.some((d) => !this.#isUpper(d.layer))) {
        this.#writableUpper(from);
        throw new SimFsError('EXDEV', from);
      }
    } else if (dst.found?.top.node.kind === 'dir') {
      throw new SimFsError('EISDIR', to);
    }
    const node = this.#isUpper(src.found.top.layer) ? srcNode : { ...(srcNode as Exclude<Node, DirNode>) };
    const dstInLower = this.#inLower(dst.frames, dst.name);
    this.#remove(from, src);
    const parent = this.#copyUpDir(to, dst.frames);
    // overlayfs: a dir moved onto a path a lower layer holds is made opaque.
    if (node.kind === 'dir' && dstInLower) node.opaque = true;
    parent.children.set(dst.name, node);
    parent.mtimeMs = this.#now();
  }

  symlink(target: string, path: string): void {
    const loc = this.#resolve(path, false);
    if (loc.found !== undefined || loc.frames.length === 0) throw new SimFsError('EEXIST', path);
    const parent = this.#copyUpDir(path, loc.frames);
    const now = this.#now();
    parent.children.set(loc.name, { kind: 'symlink', mode: 0o777, uid: 0, gid: 0, mtimeMs: now, target });
    parent.mtimeMs = now;
  }

  readlink(path: string): string {
    const { top } = this.#existing(path, false);
    if (top.node.kind !== 'symlink') throw new SimFsError('EINVAL', path);
    return top.node.target;
  }

  chmod(path: string, mode: number): void {
    this.#copyUp(path, this.#resolve(path, true)).mode = mode & 0o7777;
  }

  chown(path: string, uid: number, gid: number): void {
    const node = this.#copyUp(path, this.#resolve(path, true));
    node.uid = uid;
    node.gid = gid;
  }

  utimes(path: string, mtimeMs: number): void {
    this.#copyUp(path, this.#resolve(path, true)).mtimeMs = mtimeMs;
  }

  realpath(path: string): string {
    const loc = this.#resolve(path, true);
    if (loc.found === undefined) throw new SimFsError('ENOENT', path);
    return canonical(loc);
  }

  #isUpper(layer: number): boolean {
    return this.#upper !== undefined && layer === 0;
  }

  #existing(path: string, follow: boolean): Found {
    const loc = this.#resolve(path, follow);
    if (loc.found === undefined) throw new SimFsError('ENOENT', path);
    return loc.found;
  }

  #rootFrame(): Frame {
    const dirs: Level<DirNode>[] = [];
    for (let i = 0; i < this.#layers.length; i++) {
      const root = this.#layers[i]!.root;
      dirs.push({ layer: i, node: root });
      if (root.opaque) break;
    }
    return { name: '', dirs };
  }

  /** Path resolution as the kernel's: `.`/`..`, symlinks in the middle always and at the
   * end when `follow` (or a trailing slash) asks, at most 40 of them. The last component
   * may be missing; any other missing one is ENOENT, a non-dir one ENOTDIR. */
  #resolve(path: string, follow: boolean): Located {
    const mustBeDir = path.length > 1 && path.endsWith('/');
    const frames: Frame[] = [this.#rootFrame()];
    const todo = path.split('/').filter((p) => p !== '' && p !== '.');
    let links = 0;
    while (todo.length > 0) {
      const name = todo.shift()!;
      if (name === '..') {
        if (frames.length > 1) frames.pop();
        continue;
      }
      const last = todo.length === 0;
      const found = lookup(frames[frames.length - 1]!.dirs, name);
      if (found === undefined) {
        if (last) return { frames, name, found: undefined };
        throw new SimFsError('ENOENT', path);
      }
      const node = found.top.node;
      if (node.kind === 'symlink' && (!last || follow || mustBeDir)) {
        if (++links > MAX_SYMLINKS) throw new SimFsError('ELOOP', path);
        if (node.target.startsWith('/')) frames.length = 1;
        todo.unshift(...node.target.split('/').filter((p) => p !== '' && p !== '.'));
        continue;
      }
      if (last) {
        if (mustBeDir && node.kind !== 'dir') throw new SimFsError('ENOTDIR', path);
        return { frames, name, found };
      }
      if (node.kind !== 'dir') throw new SimFsError('ENOTDIR', path);
      frames.push({ name, dirs: found.dirs });
    }
    // The path names a directory reached by `.`/`..`/symlinks: report it as itself.
    const self = frames.pop()!;
    return { frames, name: self.name, found: { top: self.dirs[0]!, dirs: self.dirs } };
  }

  #writableUpper(path: string): DirNode {
    if (this.#upper === undefined || !this.#upper.writable) throw new SimFsError('EROFS', path);
    return this.#upper.root;
  }

  /** The upper's dir for the merged dir at `frames`, copying up each dir on the way
   * with its metadata (overlayfs copies up parents before a child). */
  #copyUpDir(path: string, frames: readonly Frame[]): DirNode {
    let dir = this.#writableUpper(path);
    for (let i = 1; i < frames.length; i++) {
      const frame = frames[i]!;
      const child = dir.children.get(frame.name);
      if (child?.kind === 'dir') {
        dir = child;
        continue;
      }
      const copy = newDir(frame.dirs[0]!.node);
      dir.children.set(frame.name, copy);
      dir = copy;
    }
    return dir;
  }

  /** The upper's node for an existing path, copied up if it is in a lower: the whole
   * file (overlayfs has no partial copy-up without metacopy), or the dir alone. */
  #copyUp(path: string, loc: Located): Exclude<Node, { kind: 'whiteout' }> {
    if (loc.found === undefined) throw new SimFsError('ENOENT', path);
    const { top, dirs } = loc.found;
    if (top.node.kind === 'whiteout') throw new SimFsError('ENOENT', path);
    if (this.#isUpper(top.layer)) {
      this.#writableUpper(path);
      return top.node;
    }
    if (top.node.kind === 'dir') return this.#copyUpDir(path, [...loc.frames, { name: loc.name, dirs }]);
    const parent = this.#copyUpDir(path, loc.frames);
    const copy = { ...top.node };
    parent.children.set(loc.name, copy);
    return copy;
  }

  /** Whether a lower layer holds `name` in the merged dir `frames` ends with — then
   * removing it from the view needs a whiteout. */
  #inLower(frames: readonly Frame[], name: string): boolean {
    for (const { layer, node } of frames[frames.length - 1]!.dirs) {
      if (this.#isUpper(layer)) continue;
      const child = node.children.get(name);
      if (child !== undefined) return child.kind !== 'whiteout';
    }
    return false;
  }

  #remove(path: string, loc: Located): void {
    const inLower = this.#inLower(loc.frames, loc.name);
    const parent = this.#copyUpDir(path, loc.frames);
    if (inLower) parent.children.set(loc.name, WHITEOUT);
    else parent.children.delete(loc.name);
    parent.mtimeMs = this.#now();
  }
}

function lookup(dirs: readonly Level<DirNode>[], name: string): Found | undefined {
  let top: Level | undefined;
  const found: Level<DirNode>[] = [];
  for (const { layer, node: dir } of dirs) {
    const child = dir.children.get(name);
    if (child === undefined) continue;
    if (top === undefined) {
      if (child.kind === 'whiteout') return undefined;
      top = { layer, node: child };
      if (child.kind !== 'dir') break;
    } else if (child.kind !== 'dir') {
      // A whiteout or a non-dir below a dir ends the merge.
      break;
    }
    found.push({ layer, node: child });
    if (child.opaque) break;
  }
  return top === undefined ? undefined : { top, dirs: found };
}

/** A merged dir's visible entries: the topmost node of each name, whiteouts hiding. */
function merged(dirs: readonly Level<DirNode>[]): Map<string, Node> {
  const seen = new Map<string, Node>();
  for (const { node } of dirs) {
    for (const [name, child] of node.children) if (!seen.has(name)) seen.set(name, child);
  }
  for (const [name, child] of seen) if (child.kind === 'whiteout') seen.delete(name);
  return seen;
}

function canonical(loc: Located): string {
  const parts = loc.frames.slice(1).map((f) => f.name);
  if (loc.name !== '') parts.push(loc.name);
  return `/${parts.join('/')}`;
}

function statOf({ top, dirs }: Found): SimStat {
  const node = top.node;
  switch (node.kind) {
    case 'dir': {
      return { type: 'dir', mode: node.mode, uid: node.uid, gid: node.gid, size: DIR_SIZE, mtimeMs: node.mtimeMs, nlink: dirLinks(dirs) };
    }
    case 'file':
      return { type: 'file', mode: node.mode, uid: node.uid, gid: node.gid, size: contentSize(node.content), mtimeMs: node.mtimeMs, nlink: 1 };
    case 'symlink':
      return {
        type: 'symlink',
        mode: 0o777,
        uid: node.uid,
        gid: node.gid,
        size: encoder.encode(node.target).length,
        mtimeMs: node.mtimeMs,
        nlink: 1,
      };
    case 'whiteout':
      throw new SimFsError('ENOENT' satisfies SimFsCode, '');
  }
}

/** overlayfs (ovl_getattr): a merged dir — one that more than one layer contributes to —
 * reports nlink 1, as its real count is unknown without reading every layer; a dir from
 * one layer alone reports that layer dir's own count: 2 (its name and `.`) plus one `..`
 * per subdir there. */
function dirLinks(dirs: readonly Level<DirNode>[]): number {
  if (dirs.length !== 1) return 1;
  let subdirs = 0;
  for (const child of dirs[0]!.node.children.values()) if (child.kind === 'dir') subdirs++;
  return 2 + subdirs;
}
