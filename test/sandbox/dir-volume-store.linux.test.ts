import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DirVolumeStore } from '../../sandbox-server/linux/dir-volume-store.js';
import { OutsideRoot } from '../../sandbox-server/linux/beneath.js';
import { DEFAULT_USERNS, userNamespaceSetting } from '../../sandbox-server/linux/id-mapping.js';
import { volumeStoreContract } from '../contract/volume-store.contract.js';
import { missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';

const run = requirePrereqs('linux', missingLinuxPrereqs());
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
async function aRoot(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'layerlab-volumes-'));
  dirs.push(d);
  return join(d, 'volumes');
}

describe.skipIf(!run)('DirVolumeStore (root)', () => {
  volumeStoreContract('a session directory (DirVolumeStore)', async () => ({
    store: await DirVolumeStore.open(await aRoot(), userNamespaceSetting(DEFAULT_USERNS)),
    write: (source, name, bytes) => writeFile(join(source, name), bytes),
    async read(source, name) {
      try {
        return new Uint8Array(await readFile(join(source, name)));
      } catch {
        return undefined;
      }
    },
  }));

  it("gives _data to container root (the mapped uid), the dirs above it to the host's root with the mapped group let through", async () => {
    const ids = userNamespaceSetting(DEFAULT_USERNS)!;
    const root = await aRoot();
    const store = await DirVolumeStore.open(root, ids);
    const source = await store.create('data');
    expect(source).toBe(join(root, 'data', '_data'));
    const data = await stat(source);
    expect({ uid: data.uid, gid: data.gid, mode: data.mode & 0o7777 }).toEqual({ uid: ids.start, gid: ids.start, mode: 0o755 });
    for (const dir of [root, join(root, 'data')]) {
      const s = await stat(dir);
      expect({ uid: s.uid, gid: s.gid, mode: s.mode & 0o7777 }).toEqual({ uid: 0, gid: ids.start, mode: 0o710 });
    }
  });

  it('refuses a name that would leave its directory (the engine checks first; the store never trusts it)', async () => {
    const store = await DirVolumeStore.open(await aRoot(), undefined);
    for (const bad of ['..', '../x', 'a/b', 'nul\0x', '.']) {
      await expect(store.create(bad)).rejects.toBeInstanceOf(OutsideRoot);
      await expect(store.remove(bad)).rejects.toBeInstanceOf(OutsideRoot);
    }
  });
});
