import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResourceLimits } from '../../src/engine/drivers/runtime.js';

const CGROUP_ROOT = '/sys/fs/cgroup';

/** Our containers' cgroups live under this parent, one per container (`/layerlab/<id>`). */
export const CGROUP_PARENT = 'layerlab';

export function cgroupPathFor(containerId: string): string {
  return `/${CGROUP_PARENT}/${containerId}`;
}

/** The OCI `linux.resources` for a container's limits (memory, pids, cpu shares). */
export function ociResources(limits: ResourceLimits): Record<string, unknown> {
  const r: Record<string, unknown> = {
    // runc's default device rules: deny all, then allow the standard /dev nodes it creates.
    devices: [{ allow: false, access: 'rwm' }],
  };
  if (limits.memoryBytes !== undefined) r.memory = { limit: limits.memoryBytes };
  if (limits.pids !== undefined) r.pids = { limit: limits.pids };
  if (limits.cpuShares !== undefined) r.cpu = { shares: limits.cpuShares };
  return r;
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
