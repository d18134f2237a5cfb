import { describe, expect, it } from 'vitest';
import { tmpdir } from 'node:os';
import { hostResources, sandboxCapacity } from '../../sandbox-server/sessions/capacity.js';

const MiB = 2 ** 20;
const GiB = 2 ** 30;

describe('sandbox capacity: what the host holds, each session at its ceilings', () => {
  it("counts a tmpfs session disk as memory, beside the session cgroup's ceiling, after the server keeps its own", () => {
    const c = sandboxCapacity({
      host: { memAvailableBytes: 8 * GiB, stateDirFreeBytes: 1 * GiB },
      sessionBytes: 512 * MiB,
      tmpfs: true,
      sessionMemoryBytes: 1 * GiB,
    });
    // (8 GiB - 512 MiB) / 1.5 GiB; the state dir's disk is not what tmpfs sessions use.
    expect(c).toEqual({ sessions: 5, limitedBy: 'memory', perSessionMemoryBytes: 1536 * MiB, perSessionDiskBytes: 0 });
  });

  it('grows when the per-session quota or the session ceiling is lowered', () => {
    const host = { memAvailableBytes: 8 * GiB, stateDirFreeBytes: 1 * GiB };
    // 7.5 GiB / (1 GiB + 64 MiB); / (256 MiB + 64 MiB).
    expect(sandboxCapacity({ host, sessionBytes: 64 * MiB, tmpfs: true, sessionMemoryBytes: 1 * GiB }).sessions).toBe(7);
    expect(sandboxCapacity({ host, sessionBytes: 64 * MiB, tmpfs: true, sessionMemoryBytes: 256 * MiB }).sessions).toBe(24);
  });

  it('is bounded by the state dir when session disks are plain directories', () => {
    const c = sandboxCapacity({
      host: { memAvailableBytes: 64 * GiB, stateDirFreeBytes: 3 * GiB },
      sessionBytes: 512 * MiB,
      tmpfs: false,
      sessionMemoryBytes: 1 * GiB,
    });
    expect(c).toMatchObject({ sessions: 6, limitedBy: 'disk' });
  });

  it('is none on a host with less than the server needs, never negative', () => {
    expect(
      sandboxCapacity({
        host: { memAvailableBytes: 100 * MiB, stateDirFreeBytes: GiB },
        sessionBytes: 512 * MiB,
        tmpfs: true,
        sessionMemoryBytes: 1 * GiB,
      }).sessions,
    ).toBe(0);
  });

  it("reads this host's MemAvailable and the state dir's free space", async () => {
    const host = await hostResources(tmpdir());
    expect(host.memAvailableBytes).toBeGreaterThan(0);
    expect(host.stateDirFreeBytes).toBeGreaterThan(0);
  });
});
