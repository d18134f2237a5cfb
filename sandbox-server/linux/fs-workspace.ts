import { resolve } from 'node:path';
import type { Workspace, WorkspaceEntry, WorkspaceReader } from '../../src/engine/drivers/workspace.js';
import { WorkspaceFull, WorkspacePathError } from '../../src/engine/errors.js';
import { workspacePath, workspacePathIfInside } from '../../src/engine/workspace-path.js';
import {
  componentsBeneath,
  fileSizeBeneath,
  isNotThere,
  OutsideRoot,
  readChunksBeneath,
  readFileBeneath,
  withDirBeneath,
  writeChunksBeneath,
  writeFileBeneath,
  type BeneathDir,
} from './beneath.js';

/**
 * A Workspace on a real directory (`layerlab exec --context DIR`, a sandbox session's
 * files). Paths are relative to the root and never leave it: a name that climbs out is
 * refused by the engine's `workspacePath`, in the words the memory workspace uses, and
 * every name is then resolved beneath the root without following a link (beneath.ts), so
 * `save -o`, `load -i`, `build -f` and the build context read and write only the
 * learner's own files.
 */
export class FsWorkspace implements Workspace {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  read(path: string): Promise<Uint8Array | undefined> {
    return this.reading(path, () => readFileBeneath(this.root, path));
  }

  /** Each range opens the file again beneath the root: nothing is held open between reads,
   * and a file swapped for a link meanwhile is refused, never followed. */
  async open(path: string): Promise<WorkspaceReader | undefined> {
    const size = await this.reading(path, () => fileSizeBeneath(this.root, path));
    if (size === undefined) return undefined;
    return { size, chunks: (range) => readChunksBeneath(this.root, path, range) };
  }

  /** A read's path in the engine's words when it climbs out of the workspace. */
  private async reading<T>(path: string, read: () => Promise<T>): Promise<T> {
    workspacePath(path, 'read');
    try {
      return await read();
    } catch (err) {
      if (err instanceof OutsideRoot)
        throw new WorkspacePathError(`invalid path ${JSON.stringify(path)}: it must name a file in the workspace`, { path });
      throw err;
    }
  }

  write(path: string, bytes: Uint8Array): Promise<void> {
    return this.writing(path, () => writeFileBeneath(this.root, path, bytes));
  }

  writeStream(path: string, chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<void> {
    return this.writing(path, () => writeChunksBeneath(this.root, path, chunks));
  }

  /** A write's failures in the engine's words: a path out of the workspace, a full disk. */
  private async writing(path: string, write: () => Promise<void>): Promise<void> {
    workspacePath(path, 'write');
    try {
      await write();
    } catch (err) {
      if (err instanceof OutsideRoot || isNotThere(err))
        throw new WorkspacePathError(`invalid output path ${JSON.stringify(path)}: it must name a file in the workspace`, { path });
      const code = (err as NodeJS.ErrnoException).code;
      // The session's tmpfs is its disk quota: full is the learner's to free, not a server fault.
      if (code === 'ENOSPC' || code === 'EDQUOT') throw new WorkspaceFull(`write ${path}: no space left on device`, { path });
      throw err;
    }
  }

  async list(dir = ''): Promise<WorkspaceEntry[]> {
    const out: WorkspaceEntry[] = [];
    const walk = async (d: BeneathDir, prefix: string): Promise<void> => {
      for (const name of await d.names()) {
        const path = prefix === '' ? name : `${prefix}/${name}`;
        const st = await d.lstatIfAny(name);
        if (!st) continue;
        const kind = st.isSymbolicLink() ? 'symlink' : st.isDirectory() ? 'dir' : 'file';
        out.push({ path, kind, mode: st.mode & 0o7777, size: kind === 'dir' ? 0 : st.size });
        if (kind !== 'dir') continue;
        let sub: BeneathDir;
        try {
          sub = await d.dir(name);
        } catch (err) {
          if (isNotThere(err)) continue;
          throw err;
        }
        try {
          await walk(sub, path);
        } finally {
          await sub.close();
        }
      }
    };
    const root = workspacePathIfInside(dir);
    if (root === undefined) return [];
    const parts = componentsBeneath(root);
    try {
      await withDirBeneath(this.root, parts, (d) => walk(d, parts.join('/')));
    } catch (err) {
      if (!isNotThere(err)) throw err;
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
}
