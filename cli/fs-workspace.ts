import { lstat, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Workspace, WorkspaceEntry } from '../src/engine/drivers/workspace.js';

/**
 * A Workspace on a real directory (`layerlab exec --context DIR`, a sandbox session's
 * files). Paths are relative to the root and may not leave it.
 */
export class FsWorkspace implements Workspace {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  private abs(path: string): string {
    const abs = resolve(this.root, path.replace(/^\/+/, ''));
    if (abs !== this.root && !abs.startsWith(this.root + sep)) throw new Error(`path escapes the workspace: ${path}`);
    return abs;
  }

  async read(path: string): Promise<Uint8Array | undefined> {
    try {
      return new Uint8Array(await readFile(this.abs(path)));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'EISDIR') return undefined;
      throw err;
    }
  }

  async write(path: string, bytes: Uint8Array): Promise<void> {
    const abs = this.abs(path);
    await mkdir(dirname(abs), { recursive: true });
    await writeFile(abs, bytes);
  }

  async list(dir = ''): Promise<WorkspaceEntry[]> {
    const out: WorkspaceEntry[] = [];
    const walk = async (abs: string) => {
      let names: string[];
      try {
        names = await readdir(abs);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw err;
      }
      for (const name of names.sort()) {
        const p = join(abs, name);
        const st = await lstat(p);
        const kind = st.isSymbolicLink() ? 'symlink' : st.isDirectory() ? 'dir' : 'file';
        out.push({ path: relative(this.root, p).split(sep).join('/'), kind, mode: st.mode & 0o7777, size: kind === 'dir' ? 0 : st.size });
        if (kind === 'dir') await walk(p);
      }
    };
    await walk(this.abs(dir));
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
}
