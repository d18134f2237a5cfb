import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUSYBOX_GROUP, BUSYBOX_PASSWD } from '../../src/engine/base-image/busybox.js';
import { resolveUser } from '../../sandbox-server/linux/oci-user.js';

/**
 * `--user` to the OCI spec's numbers, as Docker does it (moby getUser on runc's
 * GetExecUser), against busybox's own passwd and group files.
 */
describe('resolveUser: the process user Docker gives runc', () => {
  let rootfs: string;
  beforeAll(async () => {
    rootfs = await mkdtemp(join(tmpdir(), 'layerlab-oci-user-'));
    await mkdir(join(rootfs, 'etc'));
    await writeFile(join(rootfs, 'etc/passwd'), BUSYBOX_PASSWD);
    await writeFile(join(rootfs, 'etc/group'), `${BUSYBOX_GROUP}mail:x:12:daemon\n`);
  });
  afterAll(() => rm(rootfs, { recursive: true, force: true }));

  it('puts the primary gid first among the additional gids, then the groups listing the user (`id`: groups=0(root),10(wheel))', async () => {
    expect(await resolveUser(undefined, rootfs)).toEqual({ uid: 0, gid: 0, additionalGids: [0, 10] });
    expect(await resolveUser('daemon', rootfs)).toEqual({ uid: 1, gid: 1, additionalGids: [1, 12] });
    expect(await resolveUser('1', rootfs)).toEqual({ uid: 1, gid: 1, additionalGids: [1, 12] });
  });

  it('gives no supplementary groups when a group is named, nor to a uid without a passwd entry', async () => {
    expect(await resolveUser('root:daemon', rootfs)).toEqual({ uid: 0, gid: 1, additionalGids: [1] });
    expect(await resolveUser('daemon:0', rootfs)).toEqual({ uid: 1, gid: 0, additionalGids: [0] });
    expect(await resolveUser('4242', rootfs)).toEqual({ uid: 4242, gid: 0, additionalGids: [0] });
  });
});
