import { systemClock, type Clock } from '../../../src/engine/drivers/clock.js';
import { MemoryVolumeStore } from '../../../src/sim/memory-volume-store.js';
import { UnionFs } from '../../../src/sim/union-fs.js';
import type { HostInfo } from '../../../src/engine/engine.js';
import type { Change } from '../../../src/engine/layer/change.js';
import { simBusyboxLayer } from '../../../src/sim/base-image/index.js';
import { MemorySnapshotter } from '../../../src/sim/memory-snapshotter.js';
import { SimRuntime } from '../../../src/sim/sim-runtime.js';

export const testHost: HostInfo = {
  kernelVersion: '6.8.0-layerlab',
  operatingSystem: 'Layerlab simulator',
  architecture: 'x86_64',
  hostname: 'layerlab-host',
  cpus: 2,
  memoryBytes: 2 * 1024 ** 3,
};

/** A runtime and a snapshotter holding the busybox base layer (plus `extra` entries on top). */
export async function simulator(opts: { clock?: Clock; extra?: Change[] } = {}) {
  const clock = opts.clock ?? systemClock;
  const snapshotter = new MemorySnapshotter({ now: () => clock.now() });
  await snapshotter.prepare('base-active');
  await snapshotter.apply('base-active', simBusyboxLayer().changes);
  if (opts.extra) await snapshotter.apply('base-active', opts.extra);
  await snapshotter.commit('base', 'base-active');
  const volumes = new MemoryVolumeStore(() => clock.now());
  const volumeFs = (source: string) => {
    const layer = volumes.layer(source);
    return layer ? new UnionFs(layer, [], () => clock.now()) : undefined;
  };
  const runtime = new SimRuntime({ openRootfs: (m) => snapshotter.fs(m), openVolume: volumeFs, clock, host: testHost });
  let n = 0;
  return {
    runtime,
    snapshotter,
    clock,
    async rootfs() {
      return snapshotter.prepare(`c${++n}`, 'base');
    },
    async volume(name: string) {
      const source = await volumes.create(name);
      return {
        source,
        async read(file: string) {
          const fs = volumeFs(source)!;
          return fs.exists(`/${file}`) ? new TextDecoder().decode(fs.readFile(`/${file}`)) : undefined;
        },
      };
    },
  };
}

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs argv as a container's init (as `docker run --rm busybox ARGV…` would) and collects its output. */
export async function runIn(
  sim: Awaited<ReturnType<typeof simulator>>,
  args: string[],
  opts: { terminal?: boolean; stdin?: string; hostname?: string; env?: string[]; cwd?: string; user?: string } = {},
): Promise<RunResult> {
  const dec = new TextDecoder();
  let stdout = '';
  let stderr = '';
  const id = `t${Math.random().toString(16).slice(2)}`;
  const stdinText = opts.stdin;
  await sim.runtime.create(
    {
      id,
      hostname: opts.hostname ?? 'a2ad064f70da',
      rootfs: await sim.rootfs(),
      process: {
        args,
        env: opts.env ?? ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOME=/root'],
        cwd: opts.cwd ?? '/',
        terminal: opts.terminal ?? false,
        ...(opts.user ? { user: opts.user } : {}),
      },
      limits: {},
    },
    {
      stdout: (b) => (stdout += dec.decode(b)),
      stderr: (b) => (stderr += dec.decode(b)),
      ...(stdinText !== undefined
        ? {
            stdin: (async function* () {
              yield new TextEncoder().encode(stdinText);
            })(),
          }
        : {}),
    },
  );
  const h = await sim.runtime.start(id);
  const code = await h.wait();
  await sim.runtime.delete(id);
  return { stdout, stderr, code };
}

/** `sh -c SCRIPT` in a fresh container. */
export async function sh(script: string, opts: Parameters<typeof runIn>[2] = {}): Promise<RunResult> {
  return runIn(await simulator(), ['sh', '-c', script], opts);
}
