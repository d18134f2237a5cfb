import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { VolumeStore } from '../../src/engine/drivers/volume-store.js';
import { checkName, withDirBeneath, type BeneathDir } from './beneath.js';
import { runCommand } from './command.js';
import { changesToHost, hostRoot, toHostId, type IdMapping } from './id-mapping.js';
import { writeLayerDir } from './layer-dir.js';
import type { Change } from '../../src/engine/layer/change.js';

/**
 * A session's volumes on disk, moby's local driver's layout: `<root>/<name>/_data`, under
 * the session's state root — so a volume counts against the session's tmpfs quota and goes
 * with the session. The directories on the way are the host's root's with the mapped group
 * let through (moby's 0710), `_data` container root's (the mapped uid), as Docker's
 * userns-remap makes them: runc 1.1 bind-mounts it from inside the user namespace. Every
 * name is opened beneath the root, one component at a time, never through a link.
 */
export class DirVolumeStore implements VolumeStore {
  private constructor(
    private readonly root: string,
    private readonly ids: IdMapping | undefined,
  ) {}

  static async open(root: string, ids: IdMapping | undefined): Promise<DirVolumeStore> {
    await mkdir(root, { recursive: true, mode: 0o710 });
    const store = new DirVolumeStore(root, ids);
    await withDirBeneath(root, [], (dir) => store.share(dir));
    return store;
  }

  async create(name: string): Promise<string> {
    checkName(name);
    await withDirBeneath(this.root, [], async (top) => {
      const { dir } = await top.dirOrCreate(name, 0o710);
      try {
        await this.share(dir);
        const data = await dir.dirOrCreate('_data', 0o755);
        try {
          if (data.created) {
            const owner = hostRoot(this.ids);
            await data.dir.handle.chown(owner.uid, owner.gid);
            await data.dir.handle.chmod(0o755);
          }
        } finally {
          await data.dir.close();
        }
      } finally {
        await dir.close();
      }
    });
    return join(this.root, name, '_data');
  }

  async remove(name: string): Promise<void> {
    checkName(name);
    await withDirBeneath(this.root, [], (top) => top.remove(name));
  }

  async size(name: string): Promise<number> {
    checkName(name);
    // find(1) never follows a link (-P) and walks by descriptors: a container that swaps a dir
    // for a link mid-walk gets it counted as a link. Each inode once, as moby's directory.Size.
    const held = await withDirBeneath(this.root, [], (top) => top.lstatIfAny(name));
    if (!held?.isDirectory()) return 0;
    const out = (await runCommand('find', ['-P', join(this.root, name, '_data'), '-xdev', '-type', 'f', '-printf', '%i %s\\n'])).stdout.toString(
      'utf8',
    );
    const seen = new Map<string, number>();
    for (const line of out.split('\n')) {
      const [inode, size] = line.split(' ');
      if (inode && size) seen.set(inode, Number(size));
    }
    let total = 0;
    for (const n of seen.values()) total += n;
    return total;
  }

  async populate(name: string, root: { mode: number; uid: number; gid: number }, entries: readonly Change[]): Promise<boolean> {
    checkName(name);
    const data = join(this.root, name, '_data');
    const held = await withDirBeneath(this.root, [name, '_data'], (dir) => dir.names());
    if (held.length > 0) return false;
    // As a layer is unpacked: owners shifted onto the host, every name beneath the root.
    if (entries.length) await writeLayerDir(data, changesToHost(entries, this.ids), hostRoot(this.ids));
    await withDirBeneath(this.root, [name, '_data'], async (dir) => {
      await dir.handle.chown(toHostId(root.uid, this.ids), toHostId(root.gid, this.ids));
      await dir.handle.chmod(root.mode & 0o7777);
    });
    return true;
  }

  async list(): Promise<string[]> {
    return withDirBeneath(this.root, [], (dir) => dir.names());
  }

  /** root:<mapped root's group> 0710: the mapped root may pass, never list or write. */
  private async share(dir: BeneathDir): Promise<void> {
    await dir.handle.chown(0, hostRoot(this.ids).gid);
    await dir.handle.chmod(0o710);
  }
}
