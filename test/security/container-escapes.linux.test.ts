import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryWorkspace } from '../../src/sim/memory-workspace.js';
import { useLinuxEngine } from '../support/linux-engine.js';
import { missingLinuxPrereqs, missingStaticCompilerPrereqs, requirePrereqs } from '../support/prereqs.js';

const run = requirePrereqs('container escape', [...missingLinuxPrereqs(), ...missingStaticCompilerPrereqs()]);

const EPERM = 1;
const ESRCH = 3;
const ENOSYS = 38;

/** fixtures/escape-probe.c, linked statically so it runs on busybox's bare rootfs. */
function compileProbe(): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'layerlab-probe-'));
  try {
    execFileSync('gcc', ['-static', '-O', '-o', join(dir, 'probe'), join(import.meta.dirname, 'fixtures/escape-probe.c')]);
    return readFileSync(join(dir, 'probe'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The mounts a process sees: /proc/self/mountinfo, the last mount on each point (the ones below are covered). */
function visibleMounts(mountinfo: string): Map<string, { mountOptions: string[]; fsType: string; superOptions: string[] }> {
  const mounts = new Map<string, { mountOptions: string[]; fsType: string; superOptions: string[] }>();
  for (const line of mountinfo.trim().split('\n')) {
    const [left, right] = line.split(' - ');
    const fields = left!.split(' ');
    const [fsType, , superOptions] = right!.split(' ');
    mounts.set(fields[4]!, { mountOptions: fields[5]!.split(','), fsType: fsType!, superOptions: superOptions!.split(',') });
  }
  return mounts;
}

describe.skipIf(!run)('escapes from inside a runc container (root)', () => {
  const linux = useLinuxEngine(
    'layerlab-escapes-',
    () =>
      new MemoryWorkspace([
        { path: 'Dockerfile', bytes: 'FROM busybox\nCOPY probe /probe\n' },
        { path: 'probe', bytes: compileProbe(), mode: 0o755 },
      ]),
  );
  const docker = (line: string) => linux.engine.exec(line);
  let sentinelDir: string;

  beforeAll(async () => {
    expect(await docker('docker build -q -t escape-probe .')).toMatchObject({ exitCode: 0 });
    sentinelDir = mkdtempSync(join(tmpdir(), 'layerlab-sentinel-'));
    writeFileSync(join(sentinelDir, 'host-secret'), 'host only\n');
  });
  afterAll(() => {
    if (sentinelDir) rmSync(sentinelDir, { recursive: true, force: true });
  });

  it("answers each call that reaches past the container with the errno of Docker's default seccomp profile", async () => {
    const r = await docker(`docker run --rm escape-probe /probe ${process.pid}`);
    expect(r.exitCode).toBe(0);
    const errnos = Object.fromEntries(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => [l.split(' ')[0], Number(l.split(' ')[1])]),
    );
    expect(errnos).toEqual({
      // Docker since Engine 25: io_uring is not in the allowlist.
      io_uring_setup: EPERM,
      keyctl: EPERM,
      add_key: EPERM,
      init_module: EPERM,
      finit_module: EPERM,
      // ptrace is allowed on kernels >= 4.8; the host's PIDs are not in the container's PID namespace.
      ptrace: ESRCH,
      unshare: EPERM,
      mount: EPERM,
      setns: EPERM,
      // The profile: clone3's flags can not be checked, so ENOSYS sends libc back to clone(2).
      clone3: ENOSYS,
      bpf: EPERM,
    });
  });

  it('busybox mount, unshare and nsenter are refused', async () => {
    const r = await docker("docker run --rm busybox sh -c 'mount -t tmpfs none /mnt; unshare -m true; nsenter -t 1 -m true'");
    expect(r.stderr).toBe(
      "mount: permission denied (are you root?)\nunshare: unshare(0x20000): Operation not permitted\nnsenter: setns(): can't reassociate to namespace 'mnt': Operation not permitted\n",
    );
  });

  it('/sys and the cgroup mount are read-only, and /sys/fs/cgroup can hold no data', async () => {
    const r = await docker(
      "docker run --rm busybox sh -c 'echo 1 > /sys/kernel/profiling; mkdir /sys/fs/cgroup/x; echo x > /sys/fs/cgroup/f; echo x > /sys/fs/cgroup/memory/f; dd if=/dev/zero of=/sys/fs/cgroup/big bs=1M count=1 2>&1 | head -1; cat /proc/self/mountinfo'",
    );
    expect(r.stderr).toBe(
      [
        "sh: can't create /sys/kernel/profiling: Read-only file system",
        "mkdir: can't create directory '/sys/fs/cgroup/x': Read-only file system",
        "sh: can't create /sys/fs/cgroup/f: Read-only file system",
        "sh: can't create /sys/fs/cgroup/memory/f: Read-only file system",
        '',
      ].join('\n'),
    );
    const [dd, ...mountinfo] = r.stdout.split('\n');
    expect(dd).toBe("dd: can't open '/sys/fs/cgroup/big': Read-only file system");
    const mounts = visibleMounts(mountinfo.join('\n'));
    expect(mounts.get('/sys')?.mountOptions[0]).toBe('ro');
    expect(mounts.get('/sys/fs/cgroup')?.mountOptions[0]).toBe('ro');
  });

  it('has no writable tmpfs without a size', async () => {
    const r = await docker('docker run --rm busybox cat /proc/self/mountinfo');
    const tmpfs = [...visibleMounts(r.stdout)].filter(([, m]) => m.fsType === 'tmpfs');
    expect(tmpfs.map(([point]) => point)).toContain('/dev/shm');
    const unsized = tmpfs.filter(
      ([, m]) => m.mountOptions[0] !== 'ro' && m.superOptions[0] !== 'ro' && !m.superOptions.some((o) => o.startsWith('size=')),
    );
    expect(unsized).toEqual([]);
  });

  it("charges tmpfs pages to the container's memory cgroup: filling /dev/shm past -m kills the writer", async () => {
    // /dev/shm is 64 MiB; a page written there is charged to the writer's memory cgroup and
    // stays charged until the container's mount namespace (and so the tmpfs) goes away.
    const r = await docker(
      'docker run --rm -m 32m busybox sh -c \'dd if=/dev/zero of=/dev/shm/f bs=1M count=48 2>/dev/null; echo rc=$?; cat /sys/fs/cgroup/memory.stat /sys/fs/cgroup/memory/memory.stat 2>/dev/null | grep "^shmem "; du -k /dev/shm/f\'',
    );
    const [rc, shmem, du] = r.stdout.trim().split('\n');
    expect(rc).not.toBe('rc=0');
    expect(Number(shmem!.split(' ')[1])).toBeGreaterThan(16 << 20);
    expect(Number(shmem!.split(' ')[1])).toBeLessThanOrEqual(32 << 20);
    expect(Number(du!.split('\t')[0])).toBeLessThan(32 << 10);
  });

  it('reaches no host file through /proc', async () => {
    const r = await docker(
      `docker run --rm busybox sh -c 'cat /proc/1/root${sentinelDir}/host-secret; ls /proc/${process.pid}/root; ls /proc/1/root; wc -c < /proc/kcore; cat /proc/keys /proc/timer_list | wc -c'`,
    );
    const out = r.stdout.split('\n');
    // /proc/1 is the container's init: its root is the container's.
    expect(out.slice(0, 3)).toEqual(['bin', 'dev', 'etc']);
    expect(r.stdout).not.toContain('host only');
    expect(r.stderr).toContain(`cat: can't open '/proc/1/root${sentinelDir}/host-secret': No such file or directory`);
    expect(r.stderr).toContain(`ls: /proc/${process.pid}/root: No such file or directory`);
    // Masked: /proc/kcore (where the kernel has it) and the others read as empty files.
    expect(r.stderr.includes("can't open '/proc/kcore'") || out.includes('0')).toBe(true);
    expect(out.at(-2)).toBe('0');
  });

  it("runs with Docker's default capabilities, seccomp filtering and no_new_privs, also in an exec", async () => {
    const status = "grep -E '^(CapEff|CapBnd|Seccomp|NoNewPrivs):' /proc/self/status";
    const expected = 'CapEff:\t00000000a80425fb\nCapBnd:\t00000000a80425fb\nNoNewPrivs:\t1\nSeccomp:\t2\n';
    expect((await docker(`docker run --rm busybox sh -c "${status}"`)).stdout).toBe(expected);
    expect((await docker('docker run -d --name idle busybox sleep 60')).exitCode).toBe(0);
    expect((await docker(`docker exec idle sh -c "${status}"`)).stdout).toBe(expected);
    await docker('docker rm -f idle');
  });
});
