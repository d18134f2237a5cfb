import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openLinuxEngines } from '../../sandbox-server/sessions/linux-engine-factory.js';
import { removeLeftovers } from '../../sandbox-server/linux/cleanup.js';
import { cgroupDirs, cgroupVersion, sessionCgroupPath, swapLimitSupported } from '../../sandbox-server/linux/cgroups.js';
import { MemoryWorkspace } from '../../src/sim/memory-workspace.js';
import { useLinuxSandboxApp } from '../support/linux-sandbox-app.js';
import { missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';
import { command, createSession, type Created } from './api-harness.js';

const run = requirePrereqs('linux', missingLinuxPrereqs());

const MiB = 1024 * 1024;
/** Small, so that filling it is quick and ends in ENOSPC before the container's 256 MiB. */
const SESSION_DISK = 96 * MiB;

const read = (file: string) => readFileSync(file, 'utf8').trim();

/** A cgroup's limits as the kernel holds them (v1: one file per controller hierarchy; v2: the unified tree). */
function limitsOf(path: string): {
  memory: number;
  swap: number | undefined;
  pids: number;
  cpuQuotaUs: number;
} {
  if (cgroupVersion() === 2) {
    const dir = join('/sys/fs/cgroup', path);
    const swapFile = join(dir, 'memory.swap.max');
    return {
      memory: Number(read(join(dir, 'memory.max'))),
      swap: existsSync(swapFile) ? Number(read(swapFile)) : undefined,
      pids: Number(read(join(dir, 'pids.max'))),
      cpuQuotaUs: Number(read(join(dir, 'cpu.max')).split(' ')[0]),
    };
  }
  const memory = Number(read(join('/sys/fs/cgroup/memory', path, 'memory.limit_in_bytes')));
  const memsw = join('/sys/fs/cgroup/memory', path, 'memory.memsw.limit_in_bytes');
  return {
    memory,
    // memsw is memory + swap: what the container may swap beyond its memory.
    swap: existsSync(memsw) ? Number(read(memsw)) - memory : undefined,
    pids: Number(read(join('/sys/fs/cgroup/pids', path, 'pids.max'))),
    cpuQuotaUs: Number(read(join('/sys/fs/cgroup/cpu', path, 'cpu.cfs_quota_us'))),
  };
}

/** Memory the kernel charges to a cgroup now (its tmpfs pages included). */
function memoryUsage(path: string): number {
  return cgroupVersion() === 2
    ? Number(read(join('/sys/fs/cgroup', path, 'memory.current')))
    : Number(read(join('/sys/fs/cgroup/memory', path, 'memory.usage_in_bytes')));
}

/** The child cgroups of `path` (in the pids hierarchy on v1). */
function childCgroups(path: string): string[] {
  const dir = cgroupVersion() === 2 ? join('/sys/fs/cgroup', path) : join('/sys/fs/cgroup/pids', path);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
}

describe.skipIf(!run)('limits on every container and build step, inside the session ceiling (root)', () => {
  const sandbox = useLinuxSandboxApp('layerlab-limits-', { stateBytes: SESSION_DISK });
  let alice: Created;
  let bob: Created;
  let aliceCgroup: string;

  beforeAll(async () => {
    const { app } = sandbox;
    alice = await createSession(app);
    bob = await createSession(app);
    aliceCgroup = sessionCgroupPath(join(sandbox.stateDir, 'sessions', alice.id));
  });

  /** The other learner, at the same moment: their `docker run` must still work. */
  async function neighbourRuns(): Promise<void> {
    expect((await command(sandbox.app, bob, 'docker run --rm busybox echo ok')).json()).toEqual({ stdout: 'ok\n', stderr: '', exitCode: 0 });
  }

  async function docker(line: string): Promise<{ stdout: string; stderr: string; exitCode: number }> {
    return (await command(sandbox.app, alice, line)).json();
  }

  it("gives each container the defaults, or what the learner asked, below the session's own ceiling", async () => {
    expect(limitsOf(aliceCgroup)).toMatchObject({
      memory: 1024 * MiB,
      pids: 512,
      cpuQuotaUs: 100_000,
    });
    const plain = (await docker('docker run -d --name plain busybox sleep 30')).stdout.trim();
    const asked = (await docker('docker run -d --name asked -m 64m --memory-swap 96m --pids-limit 50 --cpus 0.5 busybox sleep 30')).stdout.trim();
    expect(childCgroups(aliceCgroup).sort()).toEqual([plain, asked].sort());
    expect(limitsOf(`${aliceCgroup}/${plain}`)).toMatchObject({
      memory: 256 * MiB,
      pids: 256,
      cpuQuotaUs: 100_000,
    });
    expect(limitsOf(`${aliceCgroup}/${asked}`)).toMatchObject({
      memory: 64 * MiB,
      pids: 50,
      cpuQuotaUs: 50_000,
    });
    // Swap included: where the kernel accounts swap (this host: v1 with memsw), none beyond the memory limit…
    if (swapLimitSupported()) {
      for (const path of [aliceCgroup, `${aliceCgroup}/${plain}`]) expect(limitsOf(path).swap).toBe(0);
      // Unless the learner allows some (--memory-swap is memory + swap).
      expect(limitsOf(`${aliceCgroup}/${asked}`).swap).toBe(32 * MiB);
    }
    expect((await docker('docker rm -f plain asked')).exitCode).toBe(0);
    expect(childCgroups(aliceCgroup)).toEqual([]);
  });

  it("gives a build's RUN step the same limits, in the session's cgroup", async () => {
    const put = await sandbox.app.inject({
      method: 'PUT',
      url: `/api/sessions/${alice.id}/files/Dockerfile`,
      headers: alice.auth,
      payload: 'FROM busybox\nRUN sleep 2\n',
    });
    expect(put.statusCode).toBe(204);
    const building = docker('docker build -q .');
    // runc makes the step's cgroup, then writes its limits: wait for both (the step sleeps 2 s).
    let step: ReturnType<typeof limitsOf> | undefined;
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
      const [id] = childCgroups(aliceCgroup);
      step = id
        ? (() => {
            try {
              return limitsOf(`${aliceCgroup}/${id}`);
            } catch {
              return undefined;
            }
          })()
        : undefined;
      if (step && Number.isFinite(step.pids)) break;
    }
    expect(step).toMatchObject({
      memory: 256 * MiB,
      pids: 256,
      cpuQuotaUs: 100_000,
    });
    expect((await building).exitCode).toBe(0);
  });

  it("refuses limits above the ceiling as Docker's CLI shows a daemon error: exit 125", async () => {
    for (const flag of ['--pids-limit -1', '-m 100g', '--cpus 64', '-m 1']) {
      const res = await docker(`docker run --rm ${flag} busybox true`);
      expect(res.exitCode).toBe(125);
      expect(res.stderr).toMatch(/^docker: Error response from daemon: (Maximum|Minimum|Range)/);
    }
  });

  it('stops a fork bomb at the PIDs limit; the container can be removed; the neighbour still runs', async () => {
    const bomb = docker(`docker run --name bomb busybox sh -c 'i=0; while :; do sleep 60 & i=$((i+1)); echo $i; done'`);
    await neighbourRuns();
    const res = await bomb;
    // The shell and its 255 sleeps are the 256 PIDs the container may have; the next fork fails.
    expect(res.stderr).toContain("can't fork");
    expect(Number(res.stdout.trim().split('\n').pop())).toBe(255);
    expect(res.exitCode).not.toBe(0);
    expect((await docker('docker rm -f bomb')).exitCode).toBe(0);
    expect(childCgroups(aliceCgroup)).toEqual([]);
  });

  it('kills a memory bomb at the memory limit: exit 137, and the neighbour still runs', async () => {
    // One 400 MiB buffer, filled: twice what 256 MiB (swap included) allows.
    const bomb = docker('docker run --rm busybox dd if=/dev/zero of=/dev/null bs=400M count=1');
    await neighbourRuns();
    expect((await bomb).exitCode).toBe(137);
  });

  it("ends filling the session's disk in ENOSPC, charged to the session, and the neighbour still runs", async () => {
    const fill = docker('docker run --name fill busybox dd if=/dev/zero of=/fill bs=1M count=200');
    await neighbourRuns();
    const res = await fill;
    expect(res.exitCode).toBe(1);
    expect(res.stderr).toContain('No space left on device');
    // The tmpfs pages count against the session's memory, not the host's free memory alone.
    expect(memoryUsage(aliceCgroup)).toBeGreaterThan(SESSION_DISK / 2);
    expect((await docker('docker rm fill')).exitCode).toBe(0);
    expect((await docker('docker run --rm busybox echo room again')).stdout).toBe('room again\n');
  });

  it("ends filling the disk in the writer's OOM kill when its memory is smaller than the disk", async () => {
    const res = await docker('docker run --rm -m 16m busybox dd if=/dev/zero of=/fill bs=1M count=64');
    expect(res.exitCode).toBe(137);
    await neighbourRuns();
  });

  it("removes the session's cgroup with the session", async () => {
    expect(cgroupDirs(aliceCgroup).length).toBeGreaterThan(0);
    const res = await sandbox.app.inject({
      method: 'DELETE',
      url: `/api/sessions/${alice.id}`,
      headers: alice.auth,
    });
    expect(res.statusCode).toBe(204);
    expect(cgroupDirs(aliceCgroup)).toEqual([]);
  });
});

describe.skipIf(!run)("a session's cgroup after a crash (root)", () => {
  it('is removed by the cleanup journal with the containers still running in it', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'layerlab-limits-crash-'));
    try {
      const engines = await openLinuxEngines(stateDir);
      const root = await mkdtemp(join(stateDir, 'session-'));
      const engine = await engines.open(root, new MemoryWorkspace());
      const session = sessionCgroupPath(root);
      expect((await engine.exec('docker run -d busybox sleep 60')).exitCode).toBe(0);
      expect(childCgroups(session)).toHaveLength(1);
      // The server died here: only the journal is left to say what to remove.
      const report = await removeLeftovers(engines.backend.tracker);
      expect(report.failed).toEqual([]);
      expect(report.removed).toContainEqual({ kind: 'cgroup', path: session });
      expect(cgroupDirs(session)).toEqual([]);
      await engine.dispose().catch(() => undefined);
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
