import { describe, expect, it } from 'vitest';
import { stateSchema, type ContainerState } from '../../src/engine/state.js';
import { createSimEngine } from '../../src/sim/create-sim-engine.js';

/** Two detached containers, as a learner starts them; their state as the picture gets it. */
async function twoRunning(): Promise<ContainerState[]> {
  const engine = await createSimEngine({ random: seeded(7) });
  for (const name of ['one', 'two']) expect((await engine.exec(`docker run -d --name ${name} busybox sleep 300`)).exitCode).toBe(0);
  const state = stateSchema.parse(await engine.state());
  await engine.dispose();
  return ['one', 'two'].map((name) => state.containers.find((c) => c.name === name)!);
}

function seeded(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 16807) % 2147483647) - 1) / 2147483646;
}

describe("the simulator's host PIDs and namespaces", () => {
  it('gives each running container a host PID and the namespaces runc would make, the same in every session', async () => {
    const [one, two] = await twoRunning();
    expect(one!.pid).toBeGreaterThan(1);
    expect(two!.pid).toBeGreaterThan(one!.pid!);
    const own = (c: ContainerState) => c.namespaces!.filter((n) => n.inode !== n.hostInode).map((n) => n.type);
    expect(own(one!)).toEqual(['pid', 'net', 'mnt', 'uts', 'ipc', 'user']);
    // The sandbox server's default user namespace; cgroup is the host's, as Docker's on cgroup v1.
    expect(one!.namespaces!.find((n) => n.type === 'cgroup')).toEqual({ type: 'cgroup', inode: 4026531835, hostInode: 4026531835 });
    // Two containers never share a namespace they each unshared.
    const inodes = [...one!.namespaces!, ...two!.namespaces!].filter((n) => n.inode !== n.hostInode).map((n) => n.inode);
    expect(new Set(inodes).size).toBe(12);
    const again = await twoRunning();
    expect(again.map((c) => [c.pid, c.namespaces])).toEqual([one, two].map((c) => [c!.pid, c!.namespaces]));
  });

  it('shows none for a container that is not running', async () => {
    const engine = await createSimEngine();
    await engine.exec('docker run --name done busybox true');
    await engine.exec('docker create --name fresh busybox');
    for (const c of (await engine.state()).containers) {
      expect(c.pid, c.name).toBeNull();
      expect(c.namespaces, c.name).toBeUndefined();
    }
    await engine.dispose();
  });
});
