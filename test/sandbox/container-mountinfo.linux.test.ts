import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import { stateSchema } from '../../src/engine/state.js';
import { useLinuxEngine } from '../support/linux-engine.js';
import { missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';

const run = requirePrereqs('linux', missingLinuxPrereqs());

/** The line for `/` in a process's mountinfo, read here rather than through the code under test. */
async function rootLine(pid: number): Promise<string> {
  const lines = (await readFile(`/proc/${pid}/mountinfo`, 'utf8')).split('\n').filter((l) => l.split(' ')[4] === '/');
  return lines.at(-1)!;
}

describe.skipIf(!run)('the "under the hood" mount line of a container on runc (root)', () => {
  const linux = useLinuxEngine('layerlab-mountinfo-');
  let engine: Engine;
  beforeAll(() => {
    engine = linux.engine;
  });
  afterAll(async () => {
    await engine?.exec('docker rm -f mi-demo');
  });

  it("is the kernel's own line for / in the init's mount namespace, and its dirs are the ones that line names", async () => {
    expect((await engine.exec('docker run -d --name mi-demo busybox sleep 300')).exitCode).toBe(0);
    const c = stateSchema.parse(await engine.state()).containers.find((x) => x.name === 'mi-demo')!;
    expect(c.pid).toBeGreaterThan(1);
    const kernel = await rootLine(c.pid!);
    expect(c.mount!.readFrom).toBe(`/proc/${c.pid}/mountinfo`);
    expect(c.mount!.line).toBe(kernel);
    const superOptions = kernel.split(' - ')[1]!.split(' ')[2]!.split(',');
    const opt = (k: string) => superOptions.find((o) => o.startsWith(`${k}=`))!.slice(k.length + 1);
    expect(c.mount!.type).toBe('overlay');
    expect(c.mount!.lowerDirs).toEqual(opt('lowerdir').split(':'));
    expect(c.mount!.upperDir).toBe(opt('upperdir'));
    expect(c.mount!.workDir).toBe(opt('workdir'));
    // The kernel's lowerdir starts with the init layer, which the snapshot's mount does not name.
    const inspect = JSON.parse((await engine.exec('docker inspect -f "{{json .GraphDriver.Data}}" mi-demo')).stdout) as Record<string, string>;
    expect(c.mount!.lowerDirs[0]).toBe(inspect.LowerDir!.split(':')[0]);
  });

  it('is reconstructed, and says so, once nothing is mounted for it', async () => {
    expect((await engine.exec('docker kill mi-demo')).exitCode).toBe(0);
    const c = stateSchema.parse(await engine.state()).containers.find((x) => x.name === 'mi-demo')!;
    expect(c.status).toBe('exited');
    const hostMounts = await readFile('/proc/self/mountinfo', 'utf8');
    expect(c.mount!.readFrom).toBeNull();
    expect(hostMounts).not.toContain(c.mount!.line);
  });
});
