import { chmod, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertMappedRootCanReach, shareWithMappedRoot } from '../../sandbox-server/linux/mapped-root-access.js';
import { missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';

const run = requirePrereqs('linux', missingLinuxPrereqs());
const ids = { start: 100000, size: 65536 };

describe.skipIf(!run)("the way from / to a bundle, for the user namespace's root (root)", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'layerlab-mapped-root-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("gives the server's own dirs to the mapped gid (g+x, as moby's 0710) and leaves open ones as they are", async () => {
    const state = join(dir, 'state');
    const session = join(state, 'sessions', 's1');
    await mkdir(session, { recursive: true, mode: 0o700 });
    await mkdir(join(state, 'open'), { mode: 0o755 });
    await chmod(dir, 0o755);
    await shareWithMappedRoot(state, session, ids);
    for (const d of [state, join(state, 'sessions'), session]) {
      const s = await stat(d);
      expect([s.mode & 0o777, s.uid, s.gid], d).toEqual([0o710, 0, ids.start]);
    }
    expect((await stat(join(state, 'open'))).gid).toBe(0);
  });

  it('names the directory above that keeps the mapped root out, and changes none of them', async () => {
    const above = join(dir, 'private');
    await mkdir(join(above, 'state'), { recursive: true });
    await chmod(above, 0o700);
    await expect(shareWithMappedRoot(join(above, 'state'), join(above, 'state'), ids)).rejects.toThrow(
      `a directory above ${join(above, 'state')} (${above}) restricts access to the user namespace's root (host uid 100000); allow it 'o+x', or set LAYERLAB_USERNS=off`,
    );
    expect((await stat(above)).mode & 0o777).toBe(0o700);
    await expect(assertMappedRootCanReach(join(above, 'state'), undefined)).resolves.toBeUndefined();
  });
});
