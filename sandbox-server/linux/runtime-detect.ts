import { chown, copyFile, link, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from './command.js';
import { cgroupPathFor, removeCgroup } from './cgroups.js';
import { ociConfig } from './oci-spec.js';
import { describeUserNamespace, hostRoot, type IdMapping } from './id-mapping.js';
import { shareWithMappedRoot } from './mapped-root-access.js';

export interface RuntimeAttempt {
  name: string;
  path?: string;
  version?: string;
  /** Why it did not run the probe container. */
  error?: string;
}

export interface RuntimeDetection {
  /** The first runtime that really ran a container, or null. */
  runtime: RuntimeAttempt | null;
  attempts: RuntimeAttempt[];
  /** The user namespace the probe ran in (`describeUserNamespace`). */
  userns?: string;
}

/**
 * Which OCI runtime works *here*: `--version` is not enough (crun installs but refuses
 * a hybrid cgroup v1 host), so each candidate runs a tiny container — busybox `true`
 * with the same namespaces (the user namespace of `ids` too), seccomp profile and cgroup
 * limits our containers get.
 */
export async function detectRuntime(opts: { workDir: string; busybox: string; candidates?: string[]; ids?: IdMapping }): Promise<RuntimeDetection> {
  const attempts: RuntimeAttempt[] = [];
  const userns = describeUserNamespace(opts.ids);
  for (const name of opts.candidates ?? ['runc', 'crun']) {
    const attempt: RuntimeAttempt = { name };
    attempts.push(attempt);
    try {
      const which = await runCommand('sh', ['-c', 'command -v "$1"', 'sh', name], { ok: [0, 1, 127] });
      if (which.code !== 0) throw new Error('not installed');
      attempt.path = which.stdout.toString().trim();
      attempt.version = (await runCommand(attempt.path, ['--version'])).stdout.toString().split('\n')[0]!.trim();
      await probe(attempt.path, opts.workDir, opts.busybox, opts.ids);
      return { runtime: attempt, attempts, userns };
    } catch (error) {
      attempt.error = error instanceof Error ? error.message : String(error);
      if (opts.ids) attempt.error += ` (in a user namespace, LAYERLAB_USERNS=${userns}; LAYERLAB_USERNS=off runs without)`;
    }
  }
  return { runtime: null, attempts, userns };
}

async function probe(runtime: string, workDir: string, busybox: string, ids: IdMapping | undefined): Promise<void> {
  await mkdir(workDir, { recursive: true });
  const dir = await mkdtemp(join(workDir, 'probe-'));
  const id = `layerlab-probe-${process.pid}-${dir.slice(-6)}`;
  try {
    const rootfs = join(dir, 'rootfs');
    await mkdir(join(rootfs, 'bin'), { recursive: true });
    await shareWithMappedRoot(workDir, dir, ids);
    // runc makes /proc, /dev and /sys in the rootfs as container root. Not busybox: it is the host's own inode.
    for (const d of [rootfs, join(rootfs, 'bin')]) await chown(d, hostRoot(ids).uid, hostRoot(ids).gid);
    await link(busybox, join(rootfs, 'bin/busybox')).catch(() => copyFile(busybox, join(rootfs, 'bin/busybox')));
    const spec = {
      id,
      hostname: 'probe',
      rootfs: [],
      process: { args: ['/bin/busybox', 'true'], env: ['PATH=/bin'], cwd: '/', terminal: false },
      limits: { memoryBytes: 64 * 1024 * 1024, pids: 16, cpus: 1, cpuShares: 512 },
    };
    await writeFile(join(dir, 'config.json'), JSON.stringify(ociConfig(spec, { uid: 0, gid: 0 }, cgroupPathFor(id), ids)));
    await runCommand(runtime, ['--root', join(dir, 'state'), 'run', '--bundle', dir, id]);
  } finally {
    await runCommand(runtime, ['--root', join(dir, 'state'), 'delete', '--force', id], { ok: [0, 1] }).catch(() => undefined);
    await removeCgroup(cgroupPathFor(id)).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}
