import { describe, expect, it } from 'vitest';
import type { ContainerSpec } from '../../../src/engine/drivers/runtime.js';
import { simEngine } from '../builder/sim-fixture.js';

/** The specs the engine hands the runtime, as it hands them. */
function recordSpecs(runtime: Awaited<ReturnType<typeof simEngine>>['runtime']): ContainerSpec[] {
  const specs: ContainerSpec[] = [];
  const create = runtime.create.bind(runtime);
  runtime.create = (spec, io) => {
    specs.push(structuredClone(spec));
    return create(spec, io);
  };
  return specs;
}

/** A spec with what names one container (its ID, hostname, rootfs and argv) taken out. */
function shape(spec: ContainerSpec) {
  const swap = (s: string) => s.split(spec.hostname).join('<hostname>');
  return {
    process: { ...spec.process, args: undefined, env: spec.process.env.map(swap) },
    limits: spec.limits,
    etcFiles: spec.etcFiles?.map((f) => ({ path: f.path, content: swap(f.content) })),
  };
}

describe('one way to run a process on a snapshot', () => {
  it("a build's RUN gets what `docker run` of the image so far gets: env, working dir, user, limits and etc files", async () => {
    const { engine, runtime } = await simEngine({ Dockerfile: 'FROM busybox\nENV GREETING=hi\nWORKDIR /srv\nUSER nobody\nRUN true\n' });
    const specs = recordSpecs(runtime);
    expect((await engine.exec('docker build -t app .')).exitCode).toBe(0);
    expect((await engine.exec('docker run --rm app true')).exitCode).toBe(0);
    const [step, run] = specs;
    expect(specs).toHaveLength(2);
    expect(step!.process.args).toEqual(['/bin/sh', '-c', 'true']);
    expect(shape(step!)).toEqual(shape(run!));
    expect(shape(run!).process).toMatchObject({
      cwd: '/srv',
      user: 'nobody',
      terminal: false,
      env: expect.arrayContaining(['GREETING=hi', 'HOSTNAME=<hostname>', 'HOME=/root']),
    });
    expect(run!.etcFiles?.map((f) => f.path)).toEqual(['/etc/resolv.conf', '/etc/hostname', '/etc/hosts']);
  });
});
