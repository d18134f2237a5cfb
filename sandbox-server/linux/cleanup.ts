import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from './command.js';
import { killIfAlive, removeCgroupTree } from './cgroups.js';
import { isNotFound } from './fs-content-store.js';
import { isMountPoint, mountPoints, unmountRootfs } from './mount.js';

/** Something on the host the sandbox created and must remove, even after a crash. */
export type Resource =
  | { kind: 'process'; pid: number; startTime: string }
  | { kind: 'container'; id: string; runtime: string; runtimeRoot: string }
  | { kind: 'mount'; target: string }
  | { kind: 'cgroup'; path: string }
  | { kind: 'dir'; path: string };

/** Removal order: who holds what goes first (the `runc run` process holds the container, a container its mount and cgroup, a mount its dir). */
const ORDER: Resource['kind'][] = ['process', 'container', 'mount', 'cgroup', 'dir'];

/**
 * A journal of what exists on the host: one small file per resource under `dir`,
 * written *before* the resource is created and removed *after* it is gone, so after a
 * crash the journal names a superset of what is left over.
 */
export class ResourceTracker {
  private made: Promise<unknown> | undefined;

  constructor(readonly dir: string) {}

  private file(r: Resource): string {
    const key = createHash('sha256')
      .update(JSON.stringify(identity(r)))
      .digest('hex')
      .slice(0, 24);
    return join(this.dir, `${r.kind}-${key}.json`);
  }

  async track(r: Resource): Promise<void> {
    // Once per tracker, not once per record (five records per container).
    this.made ??= mkdir(this.dir, { recursive: true }).catch((error: unknown) => {
      this.made = undefined;
      throw error;
    });
    await this.made;
    const file = this.file(r);
    await writeFile(`${file}.tmp`, JSON.stringify(r)).catch(async (error: unknown) => {
      // The journal's dir was removed under us: make it again.
      if (!isNotFound(error)) throw error;
      await mkdir(this.dir, { recursive: true });
      await writeFile(`${file}.tmp`, JSON.stringify(r));
    });
    await rename(`${file}.tmp`, file);
  }

  async untrack(r: Resource): Promise<void> {
    await rm(this.file(r), { force: true });
  }

  async list(): Promise<Resource[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if (isNotFound(error)) return [];
      throw error;
    }
    const out: Resource[] = [];
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      try {
        out.push(JSON.parse(await readFile(join(this.dir, name), 'utf8')) as Resource);
      } catch {
        // A record torn by a crash mid-write names nothing we created yet.
        await rm(join(this.dir, name), { force: true });
      }
    }
    return sortForRemoval(out);
  }
}

function sortForRemoval(resources: Resource[]): Resource[] {
  return resources.sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind) || depth(b) - depth(a));
}

function identity(r: Resource): unknown {
  switch (r.kind) {
    case 'process':
      return [r.kind, r.pid, r.startTime];
    case 'container':
      return [r.kind, r.runtimeRoot, r.id];
    case 'mount':
      return [r.kind, r.target];
    case 'cgroup':
      return [r.kind, r.path];
    case 'dir':
      return [r.kind, r.path];
  }
}

/** Deeper paths first: a mount inside a dir, a cgroup inside its parent. */
function depth(r: Resource): number {
  const path = r.kind === 'mount' ? r.target : r.kind === 'dir' || r.kind === 'cgroup' ? r.path : '';
  return path.split('/').length;
}

/** The kernel's start time of a process (field 22 of /proc/<pid>/stat), to tell a reused PID from ours. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses; fields resume after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

export interface CleanupReport {
  removed: Resource[];
  failed: { resource: Resource; error: string }[];
}

/**
 * Removes every resource the journal names and every one `found` by looking (leftover-scan.ts)
 * — a server start after a crash, or shutdown. The two overlap; each resource goes once.
 */
export async function removeLeftovers(tracker: ResourceTracker, found: readonly Resource[] = []): Promise<CleanupReport> {
  const report: CleanupReport = { removed: [], failed: [] };
  const seen = new Set<string>();
  const all = [...(await tracker.list()), ...found].filter((r) => {
    const key = JSON.stringify(identity(r));
    return !seen.has(key) && seen.add(key);
  });
  for (const r of sortForRemoval(all)) {
    try {
      await removeResource(r);
      await tracker.untrack(r);
      report.removed.push(r);
    } catch (error) {
      report.failed.push({ resource: r, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return report;
}

export async function removeResource(r: Resource): Promise<void> {
  switch (r.kind) {
    case 'process':
      if (processStartTime(r.pid) === r.startTime) killIfAlive(r.pid);
      return;
    case 'container': {
      // `delete --force` kills the container's processes, removes its cgroup and runc's state.
      const r1 = await runCommand(r.runtime, ['--root', r.runtimeRoot, 'delete', '--force', r.id], { ok: [0, 1] });
      if (r1.code !== 0 && !/does not exist/.test(r1.stderr.toString())) throw new Error(r1.stderr.toString().trim());
      return;
    }
    case 'mount':
      if (await isMountPoint(r.target)) await unmountRootfs(r.target);
      return;
    case 'cgroup':
      // A session's cgroup holds its containers' (journaled or not): the whole tree goes.
      await removeCgroupTree(r.path);
      return;
    case 'dir':
      // Never recurse into a mounted filesystem: that would delete inside a layer.
      for (const target of (await mountPoints())
        .filter((m) => m.startsWith(`${r.path}/`))
        .sort()
        .reverse())
        await unmountRootfs(target);
      await rm(r.path, { recursive: true, force: true });
      return;
  }
}
