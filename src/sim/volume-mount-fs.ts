import { SimFsError, type SimFs, type SimStat } from './sim-fs.js';

/** A volume over a directory of the rootfs: runc's bind mount of the volume's directory at `destination`. */
export interface VolumeBind {
  /** Absolute and clean. */
  destination: string;
  fs: SimFs;
  readOnly: boolean;
}

// Linux: MAXSYMLINKS.
const MAX_SYMLINKS = 40;

interface Resolved {
  /** The path in the container, every symlink before the last component followed. */
  abs: string;
  fs: SimFs;
  /** The path inside `fs`. */
  inner: string;
  bind: VolumeBind | undefined;
  /** `abs` is the bind's mount point itself. */
  mountRoot: boolean;
}

/**
 * The rootfs with volumes mounted over some of its directories, as the kernel's mount table
 * makes it: a path is walked a component at a time from the container's root, each symlink
 * followed from there (an absolute link in a volume points into the container, never into
 * the volume's own tree), and a component that is a mount point crosses into the volume.
 * So what is written below a mount point is in the volume, never in the container's layer;
 * a mount point cannot be removed or renamed (EBUSY), a rename across mounts is EXDEV, and
 * a read-only volume refuses writes (EROFS).
 */
export class VolumeMountFs implements SimFs {
  readonly #root: SimFs;
  readonly #binds: readonly VolumeBind[];

  constructor(root: SimFs, binds: readonly VolumeBind[]) {
    this.#root = root;
    // The deepest mount point wins: a volume mounted inside another hides what is below it.
    this.#binds = [...binds].sort((a, b) => b.destination.length - a.destination.length);
  }

  stat(path: string): SimStat {
    const r = this.#resolve(path, true);
    return r.fs.stat(r.inner);
  }

  lstat(path: string): SimStat {
    const r = this.#resolve(path, false);
    return r.fs.lstat(r.inner);
  }

  exists(path: string): boolean {
    try {
      this.stat(path);
      return true;
    } catch (e) {
      if (e instanceof SimFsError) return false;
      throw e;
    }
  }

  readFile(path: string): Uint8Array {
    const r = this.#resolve(path, true);
    return r.fs.readFile(r.inner);
  }

  writeFile(path: string, data: Uint8Array, opts?: { append?: boolean; mode?: number }): void {
    const r = this.#writable(path, true);
    r.fs.writeFile(r.inner, data, opts);
  }

  mkdir(path: string, opts?: { mode?: number }): void {
    const r = this.#writable(path, false);
    if (r.mountRoot) throw new SimFsError('EEXIST', path);
    r.fs.mkdir(r.inner, opts);
  }

  readdir(path: string): string[] {
    const r = this.#resolve(path, true);
    return r.fs.readdir(r.inner);
  }

  unlink(path: string): void {
    const r = this.#writable(path, false);
    if (r.mountRoot) throw new SimFsError('EBUSY', path);
    r.fs.unlink(r.inner);
  }

  rmdir(path: string): void {
    const r = this.#writable(path, false);
    if (r.mountRoot) throw new SimFsError('EBUSY', path);
    r.fs.rmdir(r.inner);
  }

  rename(from: string, to: string): void {
    const a = this.#writable(from, false);
    const b = this.#writable(to, false);
    // Linux rename(2): EBUSY for a mount point at either end, EXDEV across mounts.
    if (a.mountRoot || b.mountRoot) throw new SimFsError('EBUSY', from);
    if (a.bind !== b.bind) throw new SimFsError('EXDEV', from);
    a.fs.rename(a.inner, b.inner);
  }

  symlink(target: string, path: string): void {
    const r = this.#writable(path, false);
    if (r.mountRoot) throw new SimFsError('EEXIST', path);
    r.fs.symlink(target, r.inner);
  }

  readlink(path: string): string {
    const r = this.#resolve(path, false);
    return r.fs.readlink(r.inner);
  }

  chmod(path: string, mode: number): void {
    const r = this.#writable(path, true);
    r.fs.chmod(r.inner, mode);
  }

  chown(path: string, uid: number, gid: number): void {
    const r = this.#writable(path, true);
    r.fs.chown(r.inner, uid, gid);
  }

  utimes(path: string, mtimeMs: number): void {
    const r = this.#writable(path, true);
    r.fs.utimes(r.inner, mtimeMs);
  }

  realpath(path: string): string {
    const r = this.#resolve(path, true);
    r.fs.stat(r.inner);
    return r.abs;
  }

  #writable(path: string, follow: boolean): Resolved {
    const r = this.#resolve(path, follow);
    if (r.bind?.readOnly) throw new SimFsError('EROFS', path);
    return r;
  }

  #locate(parts: readonly string[]): Resolved {
    const abs = `/${parts.join('/')}`;
    for (const bind of this.#binds) {
      if (abs === bind.destination) return { abs, fs: bind.fs, inner: '/', bind, mountRoot: true };
      if (abs.startsWith(`${bind.destination}/`)) return { abs, fs: bind.fs, inner: abs.slice(bind.destination.length), bind, mountRoot: false };
    }
    return { abs, fs: this.#root, inner: abs, bind: undefined, mountRoot: false };
  }

  /** path_resolution(7) across the mounts: every component but the last followed; the last too with `follow` (or a trailing `/`). */
  #resolve(path: string, follow: boolean): Resolved {
    const followLast = follow || path.endsWith('/');
    const todo = path.split('/').filter((p) => p !== '' && p !== '.');
    let cur: string[] = [];
    let links = 0;
    while (todo.length) {
      const name = todo.shift()!;
      if (name === '..') {
        cur.pop();
        continue;
      }
      const next = [...cur, name];
      const last = todo.length === 0;
      if (last && !followLast) {
        cur = next;
        break;
      }
      const here = this.#locate(next);
      if (here.mountRoot) {
        cur = next;
        continue;
      }
      let st: SimStat;
      try {
        st = here.fs.lstat(here.inner);
      } catch (e) {
        // A missing last component is for the caller (create, or its ENOENT).
        if (e instanceof SimFsError && e.code === 'ENOENT' && todo.length === 0) {
          cur = next;
          break;
        }
        if (e instanceof SimFsError) throw new SimFsError(e.code, path);
        throw e;
      }
      if (st.type === 'symlink') {
        if (++links > MAX_SYMLINKS) throw new SimFsError('ELOOP', path);
        const target = here.fs.readlink(here.inner);
        if (target.startsWith('/')) cur = [];
        todo.unshift(...target.split('/').filter((p) => p !== '' && p !== '.'));
        continue;
      }
      if (todo.length && st.type !== 'dir') throw new SimFsError('ENOTDIR', path);
      cur = next;
    }
    return this.#locate(cur);
  }
}
