import { initLayerEntries } from '../engine/containers/init-layer.js';
import { contentSize } from '../engine/layer/change.js';
import { applyChanges, newDir, type FileNode, type Layer } from './layer-tree.js';
import { SimFsError, type SimFs, type SimStat } from './sim-fs.js';

/** A host file bind-mounted over a path of the rootfs (runc's `"type": "bind"` mount). */
export interface FileBind {
  path: string;
  bytes: Uint8Array;
}

/**
 * Docker's init layer for these binds (`initLayerEntries`: each target an empty 0755
 * file, `/.dockerenv`, the `/etc/mtab` link), its parent dirs 0755, all root's — below the
 * container's layer, so the bind mounts never make an entry in it.
 */
export function mountPointLayer(paths: readonly string[], mtimeMs: number): Layer {
  const root = newDir({ mode: 0o755, uid: 0, gid: 0, mtimeMs });
  // Unpacking makes missing parents 0755 and root's, as the init layer's are.
  applyChanges(root, initLayerEntries(paths), mtimeMs);
  return { id: -1, root, writable: false };
}

/** The dirs the OCI runtime mounts a filesystem on in every container (runc's spec: proc,
 * a tmpfs /dev, sysfs): never removable from inside, so `rm -rf /` leaves them, as on Docker. */
const RUNTIME_MOUNT_DIRS: readonly string[] = ['/proc', '/dev', '/sys'];

/**
 * A rootfs with files bind-mounted over it, as the kernel shows them: a path that
 * resolves to a bind target reads and writes the bound file, never the rootfs below
 * (so the container's layer stays as it was), and the target can be neither removed
 * nor renamed, nor renamed onto (EBUSY). Everything else is the rootfs's.
 */
export class BindMountFs implements SimFs {
  readonly #inner: SimFs;
  readonly #binds = new Map<string, FileNode>();
  readonly #now: () => number;

  constructor(inner: SimFs, binds: readonly FileBind[], now: () => number) {
    this.#inner = inner;
    this.#now = now;
    const mtimeMs = now();
    for (const b of binds) {
      this.#binds.set(b.path, { kind: 'file', mode: 0o644, uid: 0, gid: 0, mtimeMs, content: { type: 'bytes', bytes: b.bytes.slice() } });
    }
  }

  stat(path: string): SimStat {
    const b = this.#bound(path, true);
    return b ? statOf(b) : this.#inner.stat(path);
  }

  lstat(path: string): SimStat {
    const b = this.#bound(path, false);
    return b ? statOf(b) : this.#inner.lstat(path);
  }

  exists(path: string): boolean {
    return this.#bound(path, true) !== undefined || this.#inner.exists(path);
  }

  readFile(path: string): Uint8Array {
    const b = this.#bound(path, true);
    return b ? bytesOf(b).slice() : this.#inner.readFile(path);
  }

  writeFile(path: string, data: Uint8Array, opts: { append?: boolean; mode?: number } = {}): void {
    const b = this.#bound(path, true);
    if (!b) return this.#inner.writeFile(path, data, opts);
    let bytes = data.slice();
    if (opts.append) {
      const old = bytesOf(b);
      bytes = new Uint8Array(old.length + data.length);
      bytes.set(old);
      bytes.set(data, old.length);
    }
    b.content = { type: 'bytes', bytes };
    b.mtimeMs = this.#now();
  }

  mkdir(path: string, opts?: { mode?: number }): void {
    this.#inner.mkdir(path, opts);
  }

  readdir(path: string): string[] {
    return this.#inner.readdir(path);
  }

  unlink(path: string): void {
    if (this.#bound(path, false)) throw new SimFsError('EBUSY', path);
    this.#inner.unlink(path);
  }

  rmdir(path: string): void {
    if (this.#isMountPoint(path)) throw new SimFsError('EBUSY', path);
    this.#inner.rmdir(path);
  }

  rename(from: string, to: string): void {
    // Linux rename(2): EBUSY when either end is a mount point.
    if (this.#bound(from, false) || this.#bound(to, false) || this.#isMountPoint(from) || this.#isMountPoint(to)) throw new SimFsError('EBUSY', from);
    this.#inner.rename(from, to);
  }

  symlink(target: string, path: string): void {
    this.#inner.symlink(target, path);
  }

  readlink(path: string): string {
    if (this.#bound(path, false)) throw new SimFsError('EINVAL', path);
    return this.#inner.readlink(path);
  }

  chmod(path: string, mode: number): void {
    const b = this.#bound(path, true);
    if (b) b.mode = mode & 0o7777;
    else this.#inner.chmod(path, mode);
  }

  chown(path: string, uid: number, gid: number): void {
    const b = this.#bound(path, true);
    if (!b) return this.#inner.chown(path, uid, gid);
    b.uid = uid;
    b.gid = gid;
  }

  utimes(path: string, mtimeMs: number): void {
    const b = this.#bound(path, true);
    if (b) b.mtimeMs = mtimeMs;
    else this.#inner.utimes(path, mtimeMs);
  }

  realpath(path: string): string {
    return this.#inner.realpath(path);
  }

  /** A dir the runtime mounts over (runc's /proc, /dev, /sys): rmdir(2) and rename(2) say EBUSY. */
  #isMountPoint(path: string): boolean {
    try {
      return RUNTIME_MOUNT_DIRS.includes(this.#inner.realpath(path));
    } catch (e) {
      if (e instanceof SimFsError) return false;
      throw e;
    }
  }

  /** The bound file `path` names: resolved by the rootfs (whose init layer holds every
   * target, so symlinks and `..` lead to it), the last component followed when asked. */
  #bound(path: string, follow: boolean): FileNode | undefined {
    if (this.#binds.size === 0) return undefined;
    try {
      if (follow || path.endsWith('/')) return this.#binds.get(this.#inner.realpath(path));
      const slash = path.lastIndexOf('/');
      const name = path.slice(slash + 1);
      if (name === '.' || name === '..') return undefined;
      const dir = this.#inner.realpath(path.slice(0, slash) || '/');
      return this.#binds.get(dir === '/' ? `/${name}` : `${dir}/${name}`);
    } catch (e) {
      if (e instanceof SimFsError) return undefined;
      throw e;
    }
  }
}

function bytesOf(node: FileNode): Uint8Array {
  // Bound files are always made of bytes (the constructor and writeFile set them so).
  return node.content.type === 'bytes' ? node.content.bytes : new Uint8Array();
}

function statOf(node: FileNode): SimStat {
  return { type: 'file', mode: node.mode, uid: node.uid, gid: node.gid, size: contentSize(node.content), mtimeMs: node.mtimeMs, nlink: 1 };
}
