import { describe, expect, it } from 'vitest';
import { BUSYBOX_GROUP, BUSYBOX_PASSWD } from '../../../src/engine/base-image/busybox.js';
import { resolveProcessUser } from '../../../src/engine/containers/process-user.js';
import { UnknownUser } from '../../../src/engine/errors.js';

/**
 * `--user` to the OCI spec's numbers, as Docker does it (moby getUser on runc's
 * GetExecUser), against busybox's own passwd and group files — the one rule both backends
 * use (user.case replays it on each against the oracle's recording).
 */
describe('resolveProcessUser: the process user Docker gives runc', () => {
  const group = `${BUSYBOX_GROUP}mail:x:12:daemon\n`;
  const resolve = (user: string | undefined) => resolveProcessUser(user, BUSYBOX_PASSWD, group);

  it('puts the primary gid first among the additional gids, then the groups listing the user (`id`: groups=0(root),10(wheel))', () => {
    expect(resolve(undefined)).toEqual({ uid: 0, gid: 0, additionalGids: [0, 10] });
    expect(resolve('daemon')).toEqual({ uid: 1, gid: 1, additionalGids: [1, 12] });
    expect(resolve('1')).toEqual({ uid: 1, gid: 1, additionalGids: [1, 12] });
  });

  it('gives no supplementary groups when a group is named, nor to a uid without a passwd entry', () => {
    expect(resolve('root:daemon')).toEqual({ uid: 0, gid: 1, additionalGids: [1] });
    expect(resolve('daemon:0')).toEqual({ uid: 1, gid: 0, additionalGids: [0] });
    expect(resolve('4242')).toEqual({ uid: 4242, gid: 0, additionalGids: [0] });
  });

  it("refuses a name the files do not have with Docker's words, and resolves numbers without files", () => {
    expect(() => resolve('nosuch')).toThrow(new UnknownUser('unable to find user nosuch: no matching entries in passwd file', { user: 'nosuch' }));
    expect(() => resolve('root:nosuch')).toThrow('unable to find group nosuch: no matching entries in group file');
    expect(resolveProcessUser('7:8', undefined, undefined)).toEqual({ uid: 7, gid: 8, additionalGids: [8] });
  });
});
