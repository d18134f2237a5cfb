import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ContainerSpec } from '../../../src/engine/drivers/runtime.js';
import { InvalidResourceLimit, ResourceLimitAboveCeiling } from '../../../src/engine/containers/container-errors.js';
import { checkResources, DEFAULT_RESOURCE_POLICY } from '../../../src/engine/containers/resource-limits.js';
import { SimRuntime } from '../../../src/sim/sim-runtime.js';
import { MemoryWorkspace } from '../../../src/sim/memory-workspace.js';
import { createSimEngine } from '../../../src/sim/create-sim-engine.js';
import { aSimEngine } from '../support/sim-engine.js';

const MiB = 1024 * 1024;

/** Every ContainerSpec the simulator's runtime is handed, containers and build steps alike. */
function recordSpecs(): ContainerSpec[] {
  const specs: ContainerSpec[] = [];
  const create = SimRuntime.prototype.create;
  vi.spyOn(SimRuntime.prototype, 'create').mockImplementation(function (this: SimRuntime, spec, io) {
    specs.push(spec);
    return create.call(this, spec, io);
  });
  return specs;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('resource limits on the simulator (the same engine validation as the sandbox)', () => {
  it("refuses a memory limit below Docker's minimum in its words, exit 125, and makes no container", async () => {
    const { run } = await aSimEngine();
    expect(await run('docker run -m 1 busybox true')).toMatchInlineSnapshot(`
      "! docker: Error response from daemon: Minimum memory limit allowed is 6MB
      ! 
      ! Run 'docker run --help' for more information
      [exit 125]"
    `);
    expect(await run('docker create --memory 5m busybox true')).toContain('Minimum memory limit allowed is 6MB');
    expect(await run('docker ps -aq')).toBe('[exit 0]');
  });

  it('refuses limits above the session ceiling: unlimited PIDs, 100g of memory, 64 CPUs', async () => {
    const { run } = await aSimEngine();
    expect(await run('docker run --pids-limit -1 busybox true')).toMatchInlineSnapshot(`
      "! docker: Error response from daemon: Maximum PIDs limit allowed is 512 in this sandbox
      ! 
      ! Run 'docker run --help' for more information
      [exit 125]"
    `);
    expect(await run('docker run --pids-limit 0 busybox true')).toContain('Maximum PIDs limit allowed is 512 in this sandbox');
    expect(await run('docker run --pids-limit 513 busybox true')).toContain('Maximum PIDs limit allowed is 512 in this sandbox');
    expect(await run('docker run -m 100g busybox true')).toMatchInlineSnapshot(`
      "! docker: Error response from daemon: Maximum memory limit allowed is 1024MB in this sandbox
      ! 
      ! Run 'docker run --help' for more information
      [exit 125]"
    `);
    expect(await run('docker run --cpus 64 busybox true')).toMatchInlineSnapshot(`
      "! docker: Error response from daemon: Range of CPUs is from 0.01 to 1.00, as there are only 1 CPUs available
      ! 
      ! Run 'docker run --help' for more information
      [exit 125]"
    `);
    expect(await run('docker create --cpus=-1 busybox true')).toContain('Range of CPUs is from 0.01 to 1.00');
    expect(await run('docker ps -aq')).toBe('[exit 0]');
  });

  it("checks --memory-swap as Docker's daemon does, and swap beyond the memory against the ceiling", async () => {
    const specs = recordSpecs();
    const { run } = await aSimEngine();
    expect(await run('docker run -m 64m --memory-swap 32m busybox true')).toContain(
      'docker: Error response from daemon: Minimum memoryswap limit should be larger than memory limit, see usage',
    );
    expect(await run('docker run --memory-swap 64m busybox true')).toContain(
      'You should always set the Memory limit when using Memoryswap limit, see usage',
    );
    expect(await run('docker run -m 64m --memory-swap -1 busybox true')).toContain('Maximum memory+swap limit allowed is 1024MB in this sandbox');
    expect(await run('docker run -m 64m --memory-swap 2g busybox true')).toContain('Maximum memory+swap limit allowed is 1024MB in this sandbox');
    expect(await run('docker ps -aq')).toBe('[exit 0]');
    expect(await run('docker run -m 64m --memory-swap 128m busybox true')).toBe('[exit 0]');
    expect(specs.map((s) => s.limits)).toEqual([{ memoryBytes: 64 * MiB, memorySwapBytes: 128 * MiB, pids: 256, cpus: 1 }]);
  });

  it("parses --cpus as Docker's CLI does: a rational number, at most nine decimals", async () => {
    const { run } = await aSimEngine();
    expect(await run('docker run --cpus lots busybox true')).toContain(
      'invalid argument "lots" for "--cpus" flag: failed to parse lots as a rational number',
    );
    expect(await run('docker run --cpus 0.0000000001 busybox true')).toContain(
      'invalid argument "0.0000000001" for "--cpus" flag: value is too precise',
    );
    expect(await run('docker run --name half --cpus 1/2 busybox true')).toBe('[exit 0]');
    expect(await run(`docker inspect -f '{{.HostConfig.NanoCpus}}' half`)).toBe('500000000\n[exit 0]');
  });

  it('runs a container with what the learner asked below the ceiling, and the defaults otherwise', async () => {
    const specs = recordSpecs();
    const { run } = await aSimEngine();
    expect(await run('docker run --name small -m 64m --pids-limit 50 --cpus 0.5 busybox true')).toBe('[exit 0]');
    expect(await run('docker run --name plain busybox true')).toBe('[exit 0]');
    expect(specs.map((s) => s.limits)).toEqual([
      { memoryBytes: 64 * MiB, pids: 50, cpus: 0.5 },
      { memoryBytes: 256 * MiB, pids: 256, cpus: 1 },
    ]);
    // inspect shows what the learner set, as Docker's does (0 / null: not set).
    expect(await run(`docker inspect -f '{{.HostConfig.Memory}} {{.HostConfig.PidsLimit}}' small plain`)).toBe('67108864 50\n0 <nil>\n[exit 0]');
  });

  it("gives a build's RUN step the container defaults", async () => {
    const specs = recordSpecs();
    const workspace = new MemoryWorkspace([{ path: 'Dockerfile', bytes: 'FROM busybox\nRUN echo hi > /hi\n' }]);
    const engine = await createSimEngine({ workspace });
    expect((await engine.exec('docker build -q .')).exitCode).toBe(0);
    expect(specs.map((s) => s.limits)).toEqual([{ memoryBytes: 256 * MiB, pids: 256, cpus: 1 }]);
  });

  it('throws typed errors with stable codes', () => {
    const none = { memory: 0, memorySwap: 0, pidsLimit: null, nanoCpus: 0 };
    expect(() => checkResources({ ...none, memory: 1 }, DEFAULT_RESOURCE_POLICY)).toThrow(InvalidResourceLimit);
    const above = (() => {
      try {
        checkResources({ ...none, pidsLimit: -1 }, DEFAULT_RESOURCE_POLICY);
      } catch (error) {
        return error;
      }
    })();
    expect(above).toBeInstanceOf(ResourceLimitAboveCeiling);
    expect(above).toMatchObject({ code: 'RESOURCE_LIMIT_ABOVE_CEILING', details: { resource: 'pids', requested: -1, ceiling: 512 } });
    expect(new InvalidResourceLimit('x').code).toBe('INVALID_RESOURCE_LIMIT');
    expect(() =>
      checkResources({ memory: 1024 * MiB, memorySwap: 1024 * MiB, pidsLimit: 512, nanoCpus: 1e9 }, DEFAULT_RESOURCE_POLICY),
    ).not.toThrow();
  });
});
