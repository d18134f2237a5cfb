import { readlink } from 'node:fs/promises';
import type { NamespaceInfo, NamespaceType } from '../../src/engine/drivers/runtime.js';

/** The kinds the picture shows, in the order namespaces(7) introduces them. */
export const NAMESPACE_TYPES: readonly NamespaceType[] = ['pid', 'net', 'mnt', 'uts', 'ipc', 'cgroup', 'user'];

/** `pid:[4026532301]` → 4026532301; the kernel names a namespace file `type:[inode]`. */
export function namespaceInode(link: string, type: NamespaceType): number | null {
  const m = /^([a-z_]+):\[(\d+)\]$/.exec(link.trim());
  return m && m[1] === type ? Number(m[2]) : null;
}

/** The namespace inodes of one process, from `/proc/<pid>/ns/*` (reading another's needs ptrace access: root). */
export async function readNamespaces(pid: number | 'self', procRoot = '/proc'): Promise<Map<NamespaceType, number>> {
  const found = new Map<NamespaceType, number>();
  await Promise.all(
    NAMESPACE_TYPES.map(async (type) => {
      // A kernel built without one (CONFIG_USER_NS=n …) has no file for it.
      const link = await readlink(`${procRoot}/${pid}/ns/${type}`).catch(() => null);
      const inode = link === null ? null : namespaceInode(link, type);
      if (inode !== null) found.set(type, inode);
    }),
  );
  return found;
}

let host: Promise<Map<NamespaceType, number>> | undefined;

/**
 * A container's namespaces beside the host's. "Host" is the sandbox server's own
 * namespaces, the ones runc starts from: a container that did not unshare a type
 * (user, and cgroup on cgroup v1) has the same inode as the server.
 */
export async function containerNamespaces(initPid: number, procRoot = '/proc'): Promise<NamespaceInfo[]> {
  // The server's own namespaces do not change while it runs; read them once.
  const hostNs = procRoot === '/proc' ? (host ??= readNamespaces('self')) : readNamespaces('self', procRoot);
  const [own, hostMap] = await Promise.all([readNamespaces(initPid, procRoot), hostNs]);
  if (own.size === 0) throw new Error(`no namespaces readable for pid ${initPid}`);
  return NAMESPACE_TYPES.flatMap((type) => {
    const inode = own.get(type);
    return inode === undefined ? [] : [{ type, inode, hostInode: hostMap.get(type) ?? null }];
  });
}
