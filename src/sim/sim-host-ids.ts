import type { NamespaceInfo, NamespaceType } from '../engine/drivers/runtime.js';

/**
 * The simulated host's namespace inodes: the kernel's initial namespaces have fixed
 * inodes (`PROC_*_INIT_INO` in include/linux/proc_ns.h; mnt and net since 6.x), so
 * these are the numbers `readlink /proc/self/ns/*` prints on a real host too.
 */
const HOST_NAMESPACES: Readonly<Record<NamespaceType, number>> = {
  pid: 0xeffffffc,
  net: 0xeffffff9,
  mnt: 0xeffffff8,
  uts: 0xeffffffe,
  ipc: 0xefffffff,
  cgroup: 0xeffffffb,
  user: 0xeffffffd,
};

/** What runc unshares for a container (sandbox-server/linux/oci-spec.ts): the user namespace
 * first (runc's nsexec), as the sandbox server's default does (LAYERLAB_USERNS); cgroup stays the host's. */
const UNSHARED: readonly NamespaceType[] = ['user', 'mnt', 'uts', 'ipc', 'pid', 'net'];
const ORDER: readonly NamespaceType[] = ['pid', 'net', 'mnt', 'uts', 'ipc', 'cgroup', 'user'];

/** Where the simulated host's PIDs start: past what a booted host's daemons hold. */
const FIRST_PID = 4127;
/** Where new namespaces' inodes start, as the proc inode allocator hands them out after boot. */
const FIRST_NAMESPACE_INODE = 4026532250;

/**
 * Host PIDs and namespace inodes for the simulator's containers: counters per engine,
 * so one session always shows the same numbers for the same commands (tests and
 * shared links replay alike), and numbers that look like what the real backend shows.
 */
export class SimHostIds {
  private nextPid = FIRST_PID;
  private nextInode = FIRST_NAMESPACE_INODE;

  /** A process's host PID. runc's own processes (run, init) take PIDs before the container's. */
  pid(): number {
    this.nextPid += 2;
    return this.nextPid++;
  }

  /** A new container's namespaces next to the host's: fresh inodes for what runc unshares. */
  namespaces(): NamespaceInfo[] {
    const fresh = new Map(UNSHARED.map((type) => [type, this.nextInode++] as const));
    return ORDER.map((type) => ({ type, inode: fresh.get(type) ?? HOST_NAMESPACES[type], hostInode: HOST_NAMESPACES[type] }));
  }
}
