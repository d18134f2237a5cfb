import { constants, existsSync, type Stats } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { lchown, lstat, mkdir, open, readdir, readlink, rename, rmdir, symlink, unlink, type FileHandle } from 'node:fs/promises';
import { readChunks, writeChunks } from './file-chunks.js';

/**
 * The one way to touch a host path that learner data names: a layer entry, a file in an
 * upper directory, the rootfs's /etc/passwd, a build-context path. Each name is looked up
 * beneath a root the server owns and nothing is ever followed out of it — no symlink, no
 * `..`, no absolute name, no magic link — which is what openat2(RESOLVE_BENEATH |
 * RESOLVE_NO_MAGICLINKS) promises; Node has no openat, so it is built from what it has.
 *
 * Every directory on the way is held open as a file descriptor, opened from its parent's
 * descriptor as `/proc/self/fd/<parent>/<name>` with O_NOFOLLOW | O_DIRECTORY: the magic
 * link is the server's own (it is the directory already open), the learner's `name` is
 * looked up in that directory and, being the last component, never followed — a symlink
 * or a file there gives ENOTDIR (ELOOP where a file was asked for). So a container that swaps a directory for a symlink while
 * the server walks its upper dir makes the walk fail, never leave the root: no
 * check-then-use on paths. The last component is created or opened the same way
 * (O_CREAT | O_EXCL | O_NOFOLLOW), and the calls that take a path but never follow its
 * last component (lstat, lchown, mkdir, symlink, readlink, unlink, rmdir, rename) take
 * `dir.at(name)`.
 */

/** Linux NAME_MAX: a longer name is ENAMETOOLONG in any directory. */
export const NAME_MAX = 255;

const DIR_FLAGS = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;

/** Linux (the sandbox server) has /proc/self/fd. Elsewhere — `layerlab exec --context DIR`
 * on a Mac — names are resolved from the directory's path instead: every component is
 * still opened with O_NOFOLLOW, but a directory swapped for a link between two steps is
 * not noticed, which only the server's concurrent containers could do. */
const PROC_FD = existsSync('/proc/self/fd');

/** A name that would resolve outside the root (`..`, a `/`, an empty name, NUL). */
export class OutsideRoot extends Error {
  readonly code = 'EOUTSIDE';
  constructor(readonly path: string) {
    super(`${JSON.stringify(path)} is outside of the root`);
    this.name = 'OutsideRoot';
  }
}

/** A directory held open beneath a root; `path` is where it is, relative to the root, for messages. */
export class BeneathDir {
  private constructor(
    /** The open directory: fchown/fchmod/fstat go here. */
    readonly handle: FileHandle,
    readonly path: string,
    /** Its host path, used only where there is no /proc (see PROC_FD). */
    private readonly abs: string,
  ) {}

  static async openRoot(root: string): Promise<BeneathDir> {
    // The root itself is the server's own path: it may be reached through links.
    return new BeneathDir(await open(root, constants.O_RDONLY | constants.O_DIRECTORY), '', root);
  }

  get fd(): number {
    return this.handle.fd;
  }

  /** A path naming `name` in this directory; the kernel never follows `name` itself when
   * the call does not follow its last component. */
  at(name: string): string {
    checkName(name, this.path);
    return `${this.self()}/${name}`;
  }

  /** This directory itself (for readdir and calls that want the directory). */
  self(): string {
    return PROC_FD ? `/proc/self/fd/${this.handle.fd}` : this.abs;
  }

  relative(name: string): string {
    return this.path === '' ? name : `${this.path}/${name}`;
  }

  /** Opens the directory `name` in this one; ENOTDIR if it is a symlink or not a dir. */
  async dir(name: string): Promise<BeneathDir> {
    return new BeneathDir(await open(this.at(name), DIR_FLAGS), this.relative(name), `${this.abs}/${name}`);
  }

  /** Opens (or with `create`, makes) the directory `name`. */
  async dirOrCreate(name: string, mode = 0o755): Promise<{ dir: BeneathDir; created: boolean }> {
    try {
      return { dir: await this.dir(name), created: false };
    } catch (error) {
      if (errno(error) !== 'ENOENT') throw error;
    }
    let created = true;
    try {
      await mkdir(this.at(name), { mode });
    } catch (error) {
      if (errno(error) !== 'EEXIST') throw error;
      created = false;
    }
    return { dir: await this.dir(name), created };
  }

  /** Opens the file `name` with `flags` (O_NOFOLLOW is always added). */
  file(name: string, flags: number, mode = 0o644): Promise<FileHandle> {
    return open(this.at(name), flags | constants.O_NOFOLLOW, mode);
  }

  lstat(name: string): Promise<Stats> {
    return lstat(this.at(name));
  }

  /** Like lstat, but undefined when there is nothing there. */
  async lstatIfAny(name: string): Promise<Stats | undefined> {
    try {
      return await this.lstat(name);
    } catch (error) {
      if (errno(error) === 'ENOENT') return undefined;
      throw error;
    }
  }

  async names(): Promise<string[]> {
    return (await readdir(this.self())).sort();
  }

  readlink(name: string): Promise<string> {
    return readlink(this.at(name));
  }

  symlink(target: string, name: string): Promise<void> {
    return symlink(target, this.at(name));
  }

  lchown(name: string, uid: number, gid: number): Promise<void> {
    return lchown(this.at(name), uid, gid);
  }

  /** Renames `from` in this directory over `to` in the same one (never follows either). */
  rename(from: string, to: string): Promise<void> {
    return rename(this.at(from), this.at(to));
  }

  /** Removes `name` and, if it is a directory, what it holds — walking by descriptors, so a
   * symlink is removed, never what it points at. */
  async remove(name: string): Promise<void> {
    const s = await this.lstatIfAny(name);
    if (!s) return;
    if (!s.isDirectory()) return unlink(this.at(name));
    const dir = await this.dir(name);
    try {
      for (const child of await dir.names()) await dir.remove(child);
    } finally {
      await dir.close();
    }
    await rmdir(this.at(name));
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

/** Checks one path component a learner named: it must stay in its directory. */
export function checkName(name: string, where = ''): void {
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
    throw new OutsideRoot(where === '' ? name : `${where}/${name}`);
  }
}

/**
 * The components of `path` beneath a root: `/a/./b/` and `a/b` are `['a','b']`; `a/../b`
 * is `['b']` (lexically, as openat2 resolves `..` it has not left); a `..` climbing above
 * the root is refused, as RESOLVE_BENEATH does.
 */
export function componentsBeneath(path: string): string[] {
  if (path.includes('\0')) throw new OutsideRoot(path);
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) throw new OutsideRoot(path);
      out.pop();
    } else out.push(part);
  }
  return out;
}

/** Opens the directory `parts` beneath `root` (made, with `create`, as 0755 dirs); the caller closes it. */
export async function openDirBeneath(root: string, parts: readonly string[], opts: { create?: boolean } = {}): Promise<BeneathDir> {
  let dir = await BeneathDir.openRoot(root);
  try {
    for (const part of parts) {
      const next = opts.create ? (await dir.dirOrCreate(part)).dir : await dir.dir(part);
      await dir.close();
      dir = next;
    }
    return dir;
  } catch (error) {
    await dir.close();
    throw error;
  }
}

/** Runs `fn` on the directory `parts` beneath `root`, closing it after. */
export async function withDirBeneath<T>(
  root: string,
  parts: readonly string[],
  fn: (dir: BeneathDir) => Promise<T>,
  opts: { create?: boolean } = {},
): Promise<T> {
  const dir = await openDirBeneath(root, parts, opts);
  try {
    return await fn(dir);
  } finally {
    await dir.close();
  }
}

/** The bytes of the regular file at `path` beneath `root`, or undefined when there is none
 * (missing, a directory, a symlink — a link is never followed, so it is not a file here). */
export function readFileBeneath(root: string, path: string): Promise<Uint8Array | undefined> {
  return withFileBeneath(root, path, async (file) => new Uint8Array(await file.readFile()));
}

/** The size of the regular file at `path` beneath `root`, or undefined as `readFileBeneath` gives it. */
export function fileSizeBeneath(root: string, path: string): Promise<number | undefined> {
  return withFileBeneath(root, path, async (_file, size) => size);
}

/** Runs `fn` on the regular file at `path` beneath `root`, opened as `readFileBeneath` opens it. */
async function withFileBeneath<T>(root: string, path: string, fn: (file: FileHandle, size: number) => Promise<T>): Promise<T | undefined> {
  // A name climbing out of the root is refused (OutsideRoot), not merely missing.
  const parts = componentsBeneath(path);
  const name = parts.pop();
  if (name === undefined) return undefined;
  try {
    return await withDirBeneath(root, parts, async (dir) => {
      const file = await dir.file(name, constants.O_RDONLY | constants.O_NONBLOCK);
      try {
        // A fifo or device opened non-blocking is still not a file to read.
        const st = await file.stat();
        if (!st.isFile()) return undefined;
        return await fn(file, st.size);
      } finally {
        await file.close();
      }
    });
  } catch (error) {
    if (isNotThere(error)) return undefined;
    throw error;
  }
}

/** The bytes of the regular file at `path` beneath `root` by chunks (`readChunks`, all of
 * them or a `range`), opened as `readFileBeneath` opens it: a link or a non-file there is
 * an error, never followed. */
export async function* readChunksBeneath(root: string, path: string, range?: { offset: number; length: number }): AsyncGenerator<Uint8Array> {
  const parts = componentsBeneath(path);
  const name = parts.pop();
  if (name === undefined) throw new OutsideRoot(path);
  const dir = await openDirBeneath(root, parts);
  let file: FileHandle;
  try {
    file = await dir.file(name, constants.O_RDONLY | constants.O_NONBLOCK);
  } finally {
    await dir.close();
  }
  try {
    if (!(await file.stat()).isFile()) throw Object.assign(new Error(`${path} is no longer a regular file`), { code: 'EINVAL' });
    yield* readChunks(file, range);
  } finally {
    await file.close();
  }
}

/** Linux's limit on symlinks followed in one lookup (MAXSYMLINKS). */
const MAX_SYMLINKS = 40;

/**
 * The bytes of the file `path` names inside `root` as a process chrooted there would see
 * it: symlinks on the way are followed, but within `root` — an absolute target starts again
 * at `root`, `..` stops there (moby's `FollowSymlinkInScope`, how Docker reads a rootfs's
 * /etc/passwd for `--user NAME`). Each step is a lookup in a directory held open, so a
 * link changed under the walk is read again, never followed out. Undefined when nothing
 * (or no regular file) is there.
 */
export async function readFileInScope(root: string, path: string): Promise<Uint8Array | undefined> {
  const stack = [await BeneathDir.openRoot(root)];
  const split = (p: string) => p.split('/').filter((part) => part !== '' && part !== '.');
  let todo = split(path);
  let links = 0;
  try {
    while (todo.length > 0) {
      const part = todo.shift()!;
      const cur = stack.at(-1)!;
      if (part === '..') {
        if (stack.length > 1) await stack.pop()!.close();
        continue;
      }
      checkName(part, cur.path);
      const s = await cur.lstatIfAny(part);
      if (!s) return undefined;
      if (s.isSymbolicLink()) {
        if (++links > MAX_SYMLINKS) return undefined;
        const target = await cur.readlink(part);
        if (target.startsWith('/')) while (stack.length > 1) await stack.pop()!.close();
        todo = [...split(target), ...todo];
        continue;
      }
      if (todo.length > 0) {
        stack.push(await cur.dir(part));
        continue;
      }
      const file = await cur.file(part, constants.O_RDONLY | constants.O_NONBLOCK);
      try {
        if (!(await file.stat()).isFile()) return undefined;
        return new Uint8Array(await file.readFile());
      } finally {
        await file.close();
      }
    }
    return undefined;
  } catch (error) {
    if (isNotThere(error)) return undefined;
    throw error;
  } finally {
    for (const dir of stack) await dir.close();
  }
}

/** Writes `bytes` as the file at `path` beneath `root`, making parent dirs; replaces a file
 * there, refuses (ELOOP) to write through a symlink. */
export async function writeFileBeneath(root: string, path: string, bytes: Uint8Array, mode = 0o644): Promise<void> {
  const parts = componentsBeneath(path);
  const name = parts.pop();
  if (name === undefined) throw new OutsideRoot(path);
  await withDirBeneath(
    root,
    parts,
    async (dir) => {
      const file = await dir.file(name, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, mode);
      try {
        await file.writeFile(bytes);
      } finally {
        await file.close();
      }
    },
    { create: true },
  );
}

/** Writes chunks as the file at `path` beneath `root` (made as `writeFileBeneath` makes it),
 * through a temp file in the same directory renamed over the name once every chunk is
 * written: a source that fails leaves neither a partial file nor the loss of the one it
 * would have replaced. A symlink or directory at the name is refused, as `writeFileBeneath`
 * refuses it, never replaced. */
export async function writeChunksBeneath(
  root: string,
  path: string,
  chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  mode = 0o644,
): Promise<void> {
  const parts = componentsBeneath(path);
  const name = parts.pop();
  if (name === undefined) throw new OutsideRoot(path);
  await withDirBeneath(
    root,
    parts,
    async (dir) => {
      const there = await dir.lstatIfAny(name);
      if (there && !there.isFile())
        throw Object.assign(new Error(`${dir.relative(name)} is not a file`), { code: there.isDirectory() ? 'EISDIR' : 'ELOOP' });
      const tmp = `.layerlab-write-${randomBytes(6).toString('hex')}`;
      try {
        const file = await dir.file(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
        try {
          await writeChunks(file, chunks);
        } finally {
          await file.close();
        }
        await dir.rename(tmp, name);
      } catch (error) {
        await unlink(dir.at(tmp)).catch(() => undefined);
        throw error;
      }
    },
    { create: true },
  );
}

/** Errors that mean "nothing usable is there": missing, or a link/non-dir on the way. */
export function isNotThere(error: unknown): boolean {
  const code = errno(error);
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP' || code === 'EISDIR' || error instanceof OutsideRoot;
}

export function errno(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}
