import { readFile } from 'node:fs/promises';
import type { KernelMount } from '../../src/engine/drivers/runtime.js';
import { findMountInfoLine } from '../../src/engine/format/mountinfo.js';

/**
 * A container's rootfs mount as the kernel records it. While its init runs, the line for
 * `/` in the init's own mountinfo — its mount namespace, after runc's pivot_root; before
 * (a created container), the server's line for the rootfs's mount point on the host.
 */
export async function rootfsMountInfo(initPid: number | null, mergedDir: string, procRoot = '/proc'): Promise<KernelMount | null> {
  const [pid, mountPoint] = initPid === null ? [process.pid, mergedDir] : [initPid, '/'];
  const file = `${procRoot}/${pid}/mountinfo`;
  const line = findMountInfoLine(await readFile(file, 'utf8'), mountPoint);
  return line === null ? null : { line, file };
}
