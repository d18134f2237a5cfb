import { mkdir, readdir, rm } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { runCommand } from '../linux/command.js';
import { mountPoints, unmountRootfs } from '../linux/mount.js';

/**
 * A session's state root, `<stateDir>/sessions/<id>`: everything the session makes
 * (snapshots, blobs, build-context files) lives below it, so deleting the session is
 * unmounting and removing one directory. As root on Linux it is a size-limited tmpfs,
 * which is the session's disk quota.
 */
export interface SessionRoot {
  path: string;
  /** The learner's build-context files (the engine's Workspace). */
  filesDir: string;
  /** Whether `path` is a tmpfs we mounted (and so must unmount). */
  tmpfs: boolean;
}

export interface SessionRootOptions {
  stateDir: string;
  /** Mount a tmpfs of this many bytes; undefined for a plain directory. */
  tmpfsBytes?: number;
}

export function sessionsDir(stateDir: string): string {
  return join(resolve(stateDir), 'sessions');
}

export async function createSessionRoot(id: string, options: SessionRootOptions): Promise<SessionRoot> {
  const path = join(sessionsDir(options.stateDir), id);
  await mkdir(path, { recursive: true, mode: 0o700 });
  const root: SessionRoot = { path, filesDir: join(path, 'files'), tmpfs: false };
  try {
    if (options.tmpfsBytes !== undefined) {
      // tmpfs: `size=` caps the bytes of every file below it, which bounds one learner's disk.
      // nosuid, nodev: a setuid file or device node a layer or container leaves in the
      // session is inert on the host (containers see them through their own overlay mount).
      await runCommand('mount', ['-t', 'tmpfs', '-o', `size=${options.tmpfsBytes},mode=0700,nosuid,nodev`, 'tmpfs', path]);
      root.tmpfs = true;
    }
    await mkdir(root.filesDir, { recursive: true });
    return root;
  } catch (error) {
    await removeSessionRoot(root).catch(() => undefined);
    throw error;
  }
}

/** Unmounts everything below the root (deepest first), then removes the directory. */
export async function removeSessionRoot(root: Pick<SessionRoot, 'path'>): Promise<void> {
  await unmountBelow(root.path);
  await rm(root.path, { recursive: true, force: true });
}

/**
 * After a crash, `<stateDir>/sessions` may still hold mounted tmpfs and overlay
 * mounts and directories of sessions that no longer exist: remove them all.
 * Returns the names of the roots it removed.
 */
export async function sweepSessionRoots(stateDir: string): Promise<string[]> {
  const dir = sessionsDir(stateDir);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  // Unmount first: rm must never recurse into a live tmpfs or a container's overlay.
  await unmountBelow(dir, false);
  for (const name of names) await rm(join(dir, name), { recursive: true, force: true });
  return names.sort();
}

/** Mount points at or below `dir`, deepest first. */
export async function mountsBelow(dir: string, includeSelf = true): Promise<string[]> {
  // Mounts exist only where the Linux backend made them.
  if (process.platform !== 'linux') return [];
  const base = resolve(dir);
  return (await mountPoints())
    .filter((mountPoint) => (includeSelf && mountPoint === base) || mountPoint.startsWith(base + sep))
    .sort((a, b) => b.length - a.length);
}

async function unmountBelow(dir: string, includeSelf = true): Promise<void> {
  for (const mountPoint of await mountsBelow(dir, includeSelf)) await unmountRootfs(mountPoint);
}
