import { readlink } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import { stateSchema } from '../../src/engine/state.js';
import { useLinuxEngine } from '../support/linux-engine.js';
import { missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';

const run = requirePrereqs('linux', missingLinuxPrereqs());

/** `readlink /proc/<pid>/ns/<type>`, read here rather than through the code under test. */
const inodeOf = async (pid: number | 'self', type: string) => Number(/\[(\d+)\]/.exec(await readlink(`/proc/${pid}/ns/${type}`))![1]);

describe.skipIf(!run)('the state snapshot of a container on runc (root)', () => {
  const linux = useLinuxEngine('layerlab-ns-');
  let engine: Engine;
  beforeAll(() => {
    engine = linux.engine;
  });
  afterAll(async () => {
    await engine?.exec('docker rm -f ns-demo');
  });

  it("carries the running init's host PID and namespaces: pid, net, mnt, uts, ipc and user its own (the server's default user namespace)", async () => {
    expect((await engine.exec('docker run -d --name ns-demo busybox sleep 300')).exitCode).toBe(0);
    const state = stateSchema.parse(await engine.state());
    const c = state.containers.find((x) => x.name === 'ns-demo')!;
    expect(c.status).toBe('running');
    expect(c.pid).toBeGreaterThan(1);
    const ns = new Map(c.namespaces!.map((n) => [n.type, n]));
    for (const type of ['pid', 'net', 'mnt', 'uts', 'ipc', 'user'] as const) {
      const hostInode = await inodeOf('self', type);
      expect(ns.get(type), type).toEqual({ type, inode: await inodeOf(c.pid!, type), hostInode });
      expect(ns.get(type)!.inode, type).not.toBe(hostInode);
    }
    // Docker's on cgroup v1: no cgroup namespace of its own.
    expect(ns.get('cgroup')).toEqual({ type: 'cgroup', inode: await inodeOf('self', 'cgroup'), hostInode: await inodeOf('self', 'cgroup') });
  });

  it('carries none once the container has stopped', async () => {
    expect((await engine.exec('docker kill ns-demo')).exitCode).toBe(0);
    const c = (await engine.state()).containers.find((x) => x.name === 'ns-demo')!;
    expect(c.status).toBe('exited');
    expect(c.pid).toBeNull();
    expect(c.namespaces).toBeUndefined();
  });
});
