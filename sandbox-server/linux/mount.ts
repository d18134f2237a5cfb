import { readFile } from 'node:fs/promises';
import { dirname, relative, sep } from 'node:path';
import type { Mount } from '../../src/engine/drivers/snapshotter.js';
import { runCommand } from './command.js';

/** Linux: mount(2) copies at most one page of option data. */
export const MOUNT_DATA_LIMIT = 4096;

/**
 * Performs the snapshotter's mounts (data) at `target`. An overlay whose options do
 * not fit in one page is mounted with paths relative to their common directory from a
 * mount(8) started in that directory — containerd's trick: overlayfs resolves
 * lowerdir/upperdir/workdir against the mounting process's working directory.
 */
export async function mountRootfs(mounts: readonly Mount[], target: string): Promise<void> {
  if (mounts.length !== 1) throw new TypeError(`a rootfs is one mount, got ${mounts.length}`);
  const m = mounts[0]!;
  if (m.type === 'bind') {
    await runCommand('mount', ['--rbind', m.source, target]);
    // Linux: the read-only flag of a bind mount only takes effect on a remount.
    if (m.options.includes('ro')) await runCommand('mount', ['-o', 'remount,bind,ro', target]);
    return;
  }
  if (m.type !== 'overlay') throw new TypeError(`unsupported mount type ${m.type}`);
  const data = m.options.join(',');
  if (data.length < MOUNT_DATA_LIMIT) {
    await runCommand('mount', ['-t', 'overlay', m.source, '-o', data, target]);
    return;
  }
  const { cwd, options } = relativeOverlayOptions(m.options);
  const short = options.join(',');
  if (short.length >= MOUNT_DATA_LIMIT)
    throw new Error(`overlay options are ${short.length} bytes even with relative paths (limit ${MOUNT_DATA_LIMIT})`);
  await runCommand('mount', ['-t', 'overlay', m.source, '-o', short, target], { cwd });
}

/** The overlay options rewritten relative to the deepest directory all their paths share. */
export function relativeOverlayOptions(options: readonly string[]): { cwd: string; options: string[] } {
  const paths: string[] = [];
  for (const o of options) {
    const [k, v] = splitOption(o);
    if (k === 'lowerdir') paths.push(...v!.split(':'));
    else if (k === 'upperdir' || k === 'workdir') paths.push(v!);
  }
  let cwd = paths.length ? dirname(paths[0]!) : '/';
  while (!paths.every((p) => p.startsWith(cwd === sep ? sep : cwd + sep))) cwd = dirname(cwd);
  const rel = (p: string) => relative(cwd, p);
  return {
    cwd,
    options: options.map((o) => {
      const [k, v] = splitOption(o);
      if (k === 'lowerdir') return `lowerdir=${v!.split(':').map(rel).join(':')}`;
      if (k === 'upperdir' || k === 'workdir') return `${k}=${rel(v!)}`;
      return o;
    }),
  };
}

function splitOption(o: string): [string, string | undefined] {
  const eq = o.indexOf('=');
  return eq < 0 ? [o, undefined] : [o.slice(0, eq), o.slice(eq + 1)];
}

/** Unmounts `target` and everything below it (an rbind may have brought submounts). */
export async function unmountRootfs(target: string): Promise<void> {
  // umount first, the mount table only when it fails: the table grows with every live
  // container of every session, and reading it on each container's removal cost O(n).
  await runCommand('umount', ['--recursive', target]).catch(async () => {
    if (!(await isMountPoint(target))) return;
    // A process that escaped the runtime's kill may still hold the mount; detaching
    // it lets the directory go, the kernel frees the mount when the last user exits.
    await runCommand('umount', ['--recursive', '--lazy', target]);
  });
}

/** Mount points from the kernel's table, decoded (mountinfo escapes spaces as \040). */
export async function mountPoints(): Promise<string[]> {
  const info = await readFile('/proc/self/mountinfo', 'utf8');
  return info
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(' ')[4]!.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))));
}

export async function isMountPoint(path: string): Promise<boolean> {
  return (await mountPoints()).includes(path);
}
