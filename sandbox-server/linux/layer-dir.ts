import { constants, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { byPath, exactChunks, type Change, type Meta } from '../../src/engine/layer/change.js';
import { checkLayerEntries, splitPath } from '../../src/engine/layer/layer-path.js';
import { ExternalContent, LayerBreakout } from '../../src/engine/errors.js';
import { BeneathDir, errno, OutsideRoot, readChunksBeneath } from './beneath.js';
import { writeChunks } from './file-chunks.js';
import { readOpaqueDirs, writeOverlayMarks, type OverlayMark } from './overlay-marks.js';

/**
 * A layer's directory on the host — a snapshot's upper dir — written from layer entries
 * (`apply`) and read back as them (`changes`). Every name is resolved through beneath.ts:
 * an entry is written into the directory it names and never through a link, and a walk
 * of a running container's upper dir reads what is there, never what a link points at.
 */

/** The one place an entry's owner and mode are set on the host: an open file or dir, or a
 * symlink by name (Linux: a symlink's mode is always 0777). chown before chmod: chown
 * clears the setuid and setgid bits. */
async function own(target: FileHandle | { symlinkIn: BeneathDir; name: string }, meta: Meta): Promise<void> {
  if ('symlinkIn' in target) return target.symlinkIn.lchown(target.name, meta.uid, meta.gid);
  await target.chown(meta.uid, meta.gid);
  await target.chmod(meta.mode);
}

/** Unpacks `changes` into the layer dir `root` (overlayfs whiteouts and opaque xattrs).
 * Owners are written as given (a caller shifts them for a user namespace); the parents a
 * layer leaves implicit are 0755 dirs owned by `root` (moby pkg/archive: the container's root). */
export async function writeLayerDir(
  root: string,
  changes: readonly Change[],
  rootIds: { uid: number; gid: number } = { uid: 0, gid: 0 },
): Promise<void> {
  const implicitDir: Meta = { mode: 0o755, ...rootIds };
  // Refused here as the simulator refuses it: an entry beneath a symlink of the same set.
  checkLayerEntries(changes);
  const marks: OverlayMark[] = [];
  // The open dirs along the current entry's path, root first: entries come sorted, so
  // each dir is opened once.
  const stack: { path: string; dir: BeneathDir }[] = [{ path: '', dir: await BeneathDir.openRoot(root) }];
  try {
    for (const c of [...changes].sort(byPath)) {
      const parts = splitPath(c.path);
      const name = parts.pop();
      if (name === undefined) continue;
      const parent = await descend(stack, parts, implicitDir);
      const rel = parent.relative(name);
      const existing = await parent.lstatIfAny(name);
      // A layer entry replaces what is there, except that a directory merges with a directory.
      if (existing && !(c.kind === 'dir' && existing.isDirectory())) await parent.remove(name);
      switch (c.kind) {
        case 'dir': {
          if (!existing?.isDirectory()) await mkdirAt(parent, name);
          await withDirHandle(parent, name, (handle) => own(handle, c));
          if (c.opaque) marks.push({ kind: 'opaque', path: rel, mode: c.mode, uid: c.uid, gid: c.gid });
          break;
        }
        case 'file': {
          if (c.content.type === 'external') throw new ExternalContent(`${c.path}: external content can not be written to disk`, { path: c.path });
          const handle = await parent.file(name, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
          try {
            // A streamed file (a stored layer blob's) is copied a chunk at a time, never held.
            if (c.content.type === 'bytes') await handle.writeFile(c.content.bytes);
            else await writeChunks(handle, exactChunks(c.content.size, c.content.open(), c.path));
            await own(handle, c);
          } finally {
            await handle.close();
          }
          break;
        }
        case 'symlink':
          await parent.symlink(c.target, name);
          await own({ symlinkIn: parent, name }, c);
          break;
        case 'whiteout':
          marks.push({ kind: 'whiteout', path: rel });
          break;
      }
    }
  } catch (error) {
    throw asLayerError(error);
  } finally {
    for (const { dir } of stack) await dir.close();
  }
  await writeOverlayMarks(root, marks);
}

/** Makes `stack` end at the dir `parts` (creating implicit parents) and returns it. */
async function descend(stack: { path: string; dir: BeneathDir }[], parts: readonly string[], implicitDir: Meta): Promise<BeneathDir> {
  const want = parts.join('/');
  while (stack.length > 1 && !(want === stack.at(-1)!.path || want.startsWith(`${stack.at(-1)!.path}/`))) await stack.pop()!.dir.close();
  for (let i = stack.length - 1; i < parts.length; i++) {
    const top = stack.at(-1)!.dir;
    const { dir, created } = await top.dirOrCreate(parts[i]!);
    stack.push({ path: parts.slice(0, i + 1).join('/'), dir });
    if (created) await withDirHandle(top, parts[i]!, (handle) => own(handle, implicitDir));
  }
  return stack.at(-1)!.dir;
}

async function mkdirAt(dir: BeneathDir, name: string): Promise<void> {
  await dir.dirOrCreate(name).then(({ dir: d }) => d.close());
}

async function withDirHandle(parent: BeneathDir, name: string, fn: (handle: FileHandle) => Promise<void>): Promise<void> {
  const dir = await parent.dir(name);
  try {
    await fn(dir.handle);
  } finally {
    await dir.close();
  }
}

/** A host error on the way (a link or non-directory where a directory was expected) as
 * the layer error it is; anything else (ENOSPC…) as it is. */
function asLayerError(error: unknown): unknown {
  const code = errno(error);
  if (error instanceof OutsideRoot) return new LayerBreakout(error.message);
  if (code === 'ENOTDIR' || code === 'ELOOP')
    return new LayerBreakout(`refusing to unpack through a link: ${(error as Error).message.replace(/\/proc\/self\/fd\/\d+\//, '')}`);
  return error;
}

/** The layer entries the dir `root` holds (an upper dir: 0/0 char devices are whiteouts).
 * With `stream`, a file's bytes are not read here: its content is a `stream` that opens it
 * again beneath `root` when it is written (a commit), so no file is held whole. */
export async function readLayerDir(root: string, opts: { stream?: boolean } = {}): Promise<Change[]> {
  const out: Change[] = [];
  const dirs: Change[] = [];
  const walk = async (dir: BeneathDir, rel: string): Promise<void> => {
    for (const name of await dir.names()) {
      const path = `${rel}/${name}`;
      const entry = await readEntry(dir, name, path, opts.stream ? root : undefined);
      if (!entry) continue;
      out.push(entry.change);
      if (entry.dir) {
        dirs.push(entry.change);
        try {
          await walk(entry.dir, path);
        } finally {
          await entry.dir.close();
        }
      }
    }
  };
  const top = await BeneathDir.openRoot(root);
  try {
    await walk(top, '');
  } finally {
    await top.close();
  }
  const opaque = await readOpaqueDirs(
    root,
    dirs.map((d) => d.path.slice(1)),
  );
  for (const d of dirs) if (d.kind === 'dir' && opaque.has(d.path.slice(1))) d.opaque = true;
  return out.sort(byPath);
}

/**
 * One entry of a walk. What lstat says is checked against what is opened (a running
 * container may swap a file for a link between the two): a dir is walked and a file read
 * through the descriptor opened with O_NOFOLLOW, and its metadata taken from that
 * descriptor. An entry that changes kind under the walk is looked at once more, then left
 * out — never followed.
 */
async function readEntry(
  dir: BeneathDir,
  name: string,
  path: string,
  streamFrom: string | undefined,
  retry = true,
): Promise<{ change: Change; dir?: BeneathDir } | undefined> {
  const again = async (error?: unknown) => {
    if (error !== undefined && !RACE_ERRORS.has(errno(error) ?? '')) throw error;
    return retry ? readEntry(dir, name, path, streamFrom, false) : undefined;
  };
  let s: Stats;
  try {
    s = await dir.lstat(name);
  } catch (error) {
    if (errno(error) === 'ENOENT') return undefined;
    throw error;
  }
  // overlayfs: a 0/0 character device is a whiteout.
  if (s.isCharacterDevice() && s.rdev === 0) return { change: { kind: 'whiteout', path } };
  try {
    if (s.isDirectory()) {
      const sub = await dir.dir(name);
      const st = await sub.handle.stat();
      return { change: { kind: 'dir', path, ...metaOf(st) }, dir: sub };
    }
    if (s.isFile()) {
      // O_NONBLOCK: if it has become a fifo, opening must not wait for a writer.
      const handle = await dir.file(name, constants.O_RDONLY | constants.O_NONBLOCK);
      try {
        const st = await handle.stat();
        if (!st.isFile()) return await again();
        if (streamFrom !== undefined) {
          const content = { type: 'stream' as const, size: st.size, open: () => readChunksBeneath(streamFrom, path) };
          return { change: { kind: 'file', path, ...metaOf(st), content } };
        }
        // The bytes as read, not a copy of them: a layer is held once.
        const read = await handle.readFile();
        const bytes = new Uint8Array(read.buffer, read.byteOffset, read.byteLength);
        return { change: { kind: 'file', path, ...metaOf(st), content: { type: 'bytes', bytes } } };
      } finally {
        await handle.close();
      }
    }
    if (s.isSymbolicLink()) return { change: { kind: 'symlink', path, ...metaOf(s), target: await dir.readlink(name) } };
  } catch (error) {
    return again(error);
  }
  // Devices, fifos and sockets have no layer entry kind (Change); a learner's container
  // can not create devices (no CAP_MKNOD use outside /dev), fifos are skipped.
  return undefined;
}

/** What a walk sees when an entry changed kind between lstat and open (readlink of a
 * non-link is EINVAL). */
const RACE_ERRORS = new Set(['ENOENT', 'ENOTDIR', 'ELOOP', 'EINVAL', 'ENXIO']);

function metaOf(s: Stats): Meta {
  return { mode: s.mode & 0o7777, uid: s.uid, gid: s.gid };
}
