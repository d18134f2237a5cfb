import { mkdtemp, mkdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { containerNamespaces, namespaceInode, readNamespaces } from '../../sandbox-server/linux/proc-namespaces.js';

/** A /proc with only `ns/` links, as the kernel names them (`type:[inode]`). */
async function fakeProc(procs: Record<string, Record<string, string>>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'layerlab-fake-proc-'));
  for (const [pid, links] of Object.entries(procs)) {
    await mkdir(join(root, pid, 'ns'), { recursive: true });
    for (const [name, target] of Object.entries(links)) await symlink(target, join(root, pid, 'ns', name));
  }
  return root;
}

const HOST = {
  pid: 'pid:[4026531836]',
  net: 'net:[4026531833]',
  mnt: 'mnt:[4026531832]',
  uts: 'uts:[4026531838]',
  ipc: 'ipc:[4026531839]',
  cgroup: 'cgroup:[4026531835]',
  user: 'user:[4026531837]',
};

describe('namespaces from /proc/<pid>/ns', () => {
  let root: string | undefined;
  afterEach(async () => {
    if (root) await rm(root, { recursive: true, force: true });
    root = undefined;
  });

  it('reads the inode out of a namespace link, and only for its own type', () => {
    expect(namespaceInode('pid:[4026532301]', 'pid')).toBe(4026532301);
    expect(namespaceInode('net:[4026532301]', 'pid')).toBeNull();
    expect(namespaceInode('pid:4026532301', 'pid')).toBeNull();
  });

  it("puts each of a container's namespaces beside the host's, own where runc unshared it", async () => {
    root = await fakeProc({
      self: HOST,
      '4242': {
        ...HOST,
        pid: 'pid:[4026532301]',
        net: 'net:[4026532304]',
        mnt: 'mnt:[4026532298]',
        uts: 'uts:[4026532299]',
        ipc: 'ipc:[4026532300]',
      },
    });
    expect(await containerNamespaces(4242, root)).toEqual([
      { type: 'pid', inode: 4026532301, hostInode: 4026531836 },
      { type: 'net', inode: 4026532304, hostInode: 4026531833 },
      { type: 'mnt', inode: 4026532298, hostInode: 4026531832 },
      { type: 'uts', inode: 4026532299, hostInode: 4026531838 },
      { type: 'ipc', inode: 4026532300, hostInode: 4026531839 },
      { type: 'cgroup', inode: 4026531835, hostInode: 4026531835 },
      { type: 'user', inode: 4026531837, hostInode: 4026531837 },
    ]);
  });

  it("leaves out a type the kernel lacks, and says when the host's is unreadable", async () => {
    const { user: _user, ...noUser } = HOST;
    const { cgroup: _cgroup, ...hostWithoutCgroup } = HOST;
    root = await fakeProc({ self: hostWithoutCgroup, '7': noUser });
    const found = await containerNamespaces(7, root);
    expect(found.map((n) => n.type)).toEqual(['pid', 'net', 'mnt', 'uts', 'ipc', 'cgroup']);
    expect(found.find((n) => n.type === 'cgroup')).toEqual({ type: 'cgroup', inode: 4026531835, hostInode: null });
  });

  it('fails for a process that is gone, so the snapshot shows none rather than wrong ones', async () => {
    root = await fakeProc({ self: HOST });
    expect((await readNamespaces(99, root)).size).toBe(0);
    await expect(containerNamespaces(99, root)).rejects.toThrow(/pid 99/);
  });
});
