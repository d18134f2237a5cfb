import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readdir, rmdir, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { ResourceAmounts } from '../../src/engine/containers/resource-limits.js';
import type { ResourceLimits } from '../../src/engine/drivers/runtime.js';

const CGROUP_ROOT = '/sys/fs/cgroup';

/** Our containers' cgroups live under this parent, one per container (`/layerlab/<id>`). */
export const CGROUP_PARENT = 'layerlab';

/** A container's cgroup: under its session's (`/layerlab/<session>/<id>`), or right under ours. */
export function cgroupPathFor(containerId: string, parent = `/${CGROUP_PARENT}`): string {
  return `${parent}/${containerId}`;
}

/**
 * A session's cgroup, the parent of all its containers' and build steps', with the
 * session's ceiling: named for the session's state root, so two servers' never meet.
 */
export function sessionCgroupPath(sessionRoot: string): string {
  return `/${CGROUP_PARENT}/s-${createHash('sha256').update(resolve(sessionRoot)).digest('hex').slice(0, 16)}`;
}

/** Docker's CFS period for `--cpus` (moby: NanoCPUs → 100ms period, quota = CPUs × period). */
const CPU_PERIOD_US = 100_000;

/** The OCI `linux.resources` for a container's limits (memory with swap, pids, cpu quota and shares). */
export function ociResources(limits: ResourceLimits): Record<string, unknown> {
  const r: Record<string, unknown> = {
    // runc's default device rules: deny all, then allow the standard /dev nodes it creates.
    devices: [{ allow: false, access: 'rwm' }],
  };
  if (limits.memoryBytes !== undefined) {
    // OCI `swap` is memory + swap (v1 memsw); equal to the limit, the container never swaps.
    // runc refuses it where the kernel does not account swap, so it is set only where it does.
    r.memory = swapLimitSupported()
      ? { limit: limits.memoryBytes, swap: limits.memorySwapBytes ?? limits.memoryBytes }
      : { limit: limits.memoryBytes };
  }
  if (limits.pids !== undefined) r.pids = { limit: limits.pids };
  const cpu: Record<string, number> = {};
  if (limits.cpuShares !== undefined) cpu.shares = limits.cpuShares;
  if (limits.cpus !== undefined) Object.assign(cpu, { quota: Math.round(limits.cpus * CPU_PERIOD_US), period: CPU_PERIOD_US });
  if (Object.keys(cpu).length > 0) r.cpu = cpu;
  return r;
}

let swapAccounted: boolean | undefined;

/**
 * Whether memory cgroups limit swap: v1 has `memory.memsw.*` only with swap accounting
 * (`swapaccount=1`, or the kernel's default); v2 has `memory.swap.max` wherever the
 * kernel has swap at all. (This host: v1 hybrid, memsw present.)
 */
export function swapLimitSupported(): boolean {
  swapAccounted ??= cgroupVersion() === 2 ? existsSync('/proc/swaps') : existsSync(join(CGROUP_ROOT, 'memory', 'memory.memsw.limit_in_bytes'));
  return swapAccounted;
}

/** cgroup v2 (unified) when /sys/fs/cgroup is cgroup2 itself; otherwise v1 hierarchies, maybe hybrid. */
export function cgroupVersion(): 1 | 2 {
  return existsSync(join(CGROUP_ROOT, 'cgroup.controllers')) ? 2 : 1;
}

let hierarchies: string[] | undefined;

/** The roots that cgroups are made in; the host mounts them at boot, so they are read once. */
function cgroupHierarchies(): string[] {
  if (hierarchies) return hierarchies;
  if (cgroupVersion() === 2) return (hierarchies = [CGROUP_ROOT]);
  return (hierarchies = readdirSync(CGROUP_ROOT)
    .map((name) => join(CGROUP_ROOT, name))
    .filter((dir) => existsSync(join(dir, 'cgroup.procs'))));
}

/** Every directory that holds cgroup `path`: one per v1 hierarchy (and the unified one). */
export function cgroupDirs(path: string): string[] {
  return cgroupHierarchies()
    .map((root) => join(root, path))
    .filter((d) => existsSync(d));
}

/** The PIDs still in cgroup `path`, across hierarchies. */
export function cgroupProcs(path: string): number[] {
  const pids = new Set<number>();
  for (const dir of cgroupDirs(path)) {
    for (const line of readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n')) if (line) pids.add(Number(line));
  }
  return [...pids];
}

/** Removes an empty cgroup everywhere it exists (rmdir is how cgroups are deleted; absent is fine, so no look first). */
export async function removeCgroup(path: string): Promise<void> {
  await Promise.all(
    cgroupHierarchies().map((root) =>
      rmdir(join(root, path)).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
      }),
    ),
  );
}

/**
 * Makes cgroup `path` with a ceiling on the memory (swap included), PIDs and CPU of
 * everything below it. On v1 each controller is its own hierarchy; the other
 * hierarchies' dirs runc makes as it creates the containers below. On v2 the controllers
 * must be enabled in every ancestor's `cgroup.subtree_control` for the files to exist.
 */
export async function createLimitedCgroup(path: string, ceiling: ResourceAmounts): Promise<void> {
  const quota = String(Math.round(ceiling.cpus * CPU_PERIOD_US));
  if (cgroupVersion() === 2) {
    const parts = path.split('/').filter(Boolean);
    for (let i = 0; i < parts.length; i++) {
      const parent = join(CGROUP_ROOT, ...parts.slice(0, i));
      await mkdir(join(parent, parts[i]!), { recursive: true });
      await writeFile(join(parent, 'cgroup.subtree_control'), '+memory +pids +cpu');
    }
    const dir = join(CGROUP_ROOT, path);
    await writeFile(join(dir, 'memory.max'), String(ceiling.memoryBytes));
    if (existsSync(join(dir, 'memory.swap.max'))) await writeFile(join(dir, 'memory.swap.max'), '0');
    await writeFile(join(dir, 'pids.max'), String(ceiling.pids));
    await writeFile(join(dir, 'cpu.max'), `${quota} ${CPU_PERIOD_US}`);
    return;
  }
  const limits: [controller: string, file: string, value: string][] = [
    // memsw may never be below the memory limit: the limit first.
    ['memory', 'memory.limit_in_bytes', String(ceiling.memoryBytes)],
    ...(swapLimitSupported() ? [['memory', 'memory.memsw.limit_in_bytes', String(ceiling.memoryBytes)] as [string, string, string]] : []),
    ['pids', 'pids.max', String(ceiling.pids)],
    ['cpu', 'cpu.cfs_period_us', String(CPU_PERIOD_US)],
    ['cpu', 'cpu.cfs_quota_us', quota],
  ];
  for (const [controller, file, value] of limits) {
    const root = join(CGROUP_ROOT, controller);
    if (!existsSync(root)) throw new Error(`the ${controller} cgroup controller is not mounted at ${root}: containers could not be limited`);
    await mkdir(join(root, path), { recursive: true });
    await writeFile(join(root, path, file), value);
  }
}

/**
 * Removes cgroup `path` and every cgroup below it, deepest first, killing what still
 * runs in them (a session's leftovers after a crash: its containers' cgroups under it).
 */
export async function removeCgroupTree(path: string): Promise<void> {
  const children = new Set<string>();
  for (const dir of cgroupDirs(path)) {
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      // A cgroup's only subdirectories are its child cgroups.
      if (entry.isDirectory()) children.add(entry.name);
    }
  }
  for (const child of children) await removeCgroupTree(`${path}/${child}`);
  // A frozen (paused) process takes SIGKILL only once thawed.
  await writeFile(join(CGROUP_ROOT, 'freezer', path, 'freezer.state'), 'THAWED').catch(() => undefined);
  if (cgroupVersion() === 2) await writeFile(join(CGROUP_ROOT, path, 'cgroup.freeze'), '0').catch(() => undefined);
  for (let attempt = 0; ; attempt++) {
    for (const pid of cgroupProcs(path)) killIfAlive(pid);
    try {
      await removeCgroup(path);
      return;
    } catch (error) {
      // A killed process leaves its cgroup once reaped: EBUSY for a moment.
      if ((error as NodeJS.ErrnoException).code !== 'EBUSY' || attempt >= 50) throw error;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** SIGKILL, where a process that is already gone is no error. */
export function killIfAlive(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
