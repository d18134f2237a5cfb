import { describe, expect, it } from 'vitest';
import type { Drivers } from '../../src/engine/engine.js';
import type { Runtime } from '../../src/engine/drivers/runtime.js';
import { createSimEngine } from '../../src/sim/create-sim-engine.js';
import { FakeClock } from './support/fake-clock.js';

/** The simulator's runtime as runc is: a started process does not say whether it has already ended. */
function likeRunc(drivers: Drivers): Drivers {
  const inner = drivers.runtime;
  const runtime = new Proxy(inner, {
    get(target, key, receiver) {
      if (key === 'start') {
        return async (id: string) => {
          const handle = await target.start(id);
          return { ...handle, ended: undefined };
        };
      }
      const value = Reflect.get(target, key, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  }) as Runtime;
  return { ...drivers, runtime };
}

const idle = async () => {
  for (let i = 0; i < 10; i++) await new Promise<void>((r) => setImmediate(r));
};

describe('a detached start on a runtime like runc: the next command waits for a short process, not the start', () => {
  it('`run -d` of a long-running process returns without waiting for the CLI round trip', async () => {
    const clock = new FakeClock();
    const engine = await createSimEngine({ clock, decorate: likeRunc });
    let done = false;
    const run = engine.exec('docker run -d --name long busybox sleep 100').then((r) => ((done = true), r));
    // No time passes on this clock: a start that slept its round trip would never return.
    await idle();
    expect(done).toBe(true);
    expect((await run).exitCode).toBe(0);
  });

  it('the next command sees a process that ended within the round trip as exited, as Docker’s CLI does', async () => {
    const clock = new FakeClock();
    const engine = await createSimEngine({ clock, decorate: likeRunc });
    expect((await clock.settle(engine.exec('docker run -d --name short busybox sleep 0.1'))).exitCode).toBe(0);
    const ps = await clock.settle(engine.exec('docker ps -a --format "{{.Names}} {{.Status}}"'));
    expect(ps.stdout).toMatch(/^short Exited \(0\)/);
    const state = await clock.settle(engine.state());
    expect(state.containers.find((c) => c.name === 'short')?.status).toBe('exited');
  });

  it('a state read waits too, but never past the round trip: a long-running process is still running', async () => {
    const clock = new FakeClock();
    const engine = await createSimEngine({ clock, decorate: likeRunc });
    await clock.settle(engine.exec('docker run -d --name long busybox sleep 100'));
    const started = clock.now();
    const state = await clock.settle(engine.state());
    expect(state.containers.find((c) => c.name === 'long')?.status).toBe('running');
    expect(clock.now() - started).toBeLessThanOrEqual(150);
  });
});
