import { readFile, statfs } from 'node:fs/promises';

/** What the host has for sandboxes, read once at start (sessions then use it up). */
export interface HostResources {
  /** /proc/meminfo MemAvailable: what can be allocated without swapping. */
  memAvailableBytes: number;
  /** Free space of the filesystem holding the state dir (statfs: blocks available to us). */
  stateDirFreeBytes: number;
}

export interface CapacityInput {
  host: HostResources;
  /** A session's disk quota (LAYERLAB_SESSION_BYTES). */
  sessionBytes: number;
  /** Session disks are tmpfs: their bytes are memory, not the state dir's disk. */
  tmpfs: boolean;
  /** The session cgroup's memory ceiling (LAYERLAB_SESSION_MEMORY_BYTES): all its containers and build steps together, swap included. */
  sessionMemoryBytes: number;
}

export interface Capacity {
  sessions: number;
  /** Which ceiling set it. */
  limitedBy: 'memory' | 'disk';
  perSessionMemoryBytes: number;
  perSessionDiskBytes: number;
}

/** Left to the server itself (its heap, the page cache of the base layer) before any session. */
const SERVER_RESERVE_BYTES = 512 * 1024 * 1024;

/**
 * How many sandboxes fit, each at its ceilings — the same ceilings the kernel enforces: its
 * cgroup's memory ceiling (its containers, and the tmpfs pages they write, are charged
 * there) and its tmpfs quota, since the pages the server itself writes there (a commit, a
 * load, a build's layers) are charged to the server, not the session — or its disk on the
 * state dir when it is a plain dir. A full session on a host that cannot hold it would
 * push the host into the OOM killer, for every learner; a refused new one runs on the
 * simulator. Lowering LAYERLAB_SESSION_MEMORY_BYTES or LAYERLAB_SESSION_BYTES fits more.
 */
export function sandboxCapacity(input: CapacityInput): Capacity {
  const perSessionMemoryBytes = input.sessionMemoryBytes + (input.tmpfs ? input.sessionBytes : 0);
  const perSessionDiskBytes = input.tmpfs ? 0 : input.sessionBytes;
  const byMemory = Math.floor(Math.max(0, input.host.memAvailableBytes - SERVER_RESERVE_BYTES) / perSessionMemoryBytes);
  const byDisk = perSessionDiskBytes === 0 ? Infinity : Math.floor(input.host.stateDirFreeBytes / perSessionDiskBytes);
  return byDisk < byMemory
    ? { sessions: byDisk, limitedBy: 'disk', perSessionMemoryBytes, perSessionDiskBytes }
    : { sessions: byMemory, limitedBy: 'memory', perSessionMemoryBytes, perSessionDiskBytes };
}

/** The host's MemAvailable and the state dir's free space, now. */
export async function hostResources(stateDir: string): Promise<HostResources> {
  const meminfo = await readFile('/proc/meminfo', 'utf8');
  const kib = /^MemAvailable:\s+(\d+) kB$/m.exec(meminfo)?.[1];
  if (kib === undefined) throw new Error('/proc/meminfo has no MemAvailable');
  const fs = await statfs(stateDir);
  return { memAvailableBytes: Number(kib) * 1024, stateDirFreeBytes: fs.bavail * fs.bsize };
}
