import { describe, expect, it } from 'vitest';
import type { Drivers } from '../../src/engine/engine.js';
import type { Snapshotter } from '../../src/engine/drivers/snapshotter.js';
import { createSimEngine } from '../../src/sim/create-sim-engine.js';

/** Holds the state snapshot's read of a container's upper layer while armed, as a slow walk of a real upper dir does. */
interface Gate {
  armed: boolean;
  reached: Promise<void>;
  open(): void;
}

function gate(): Gate & { signal(): void; opened: Promise<void> } {
  let signal!: () => void;
  let open!: () => void;
  const reached = new Promise<void>((r) => (signal = r));
  const opened = new Promise<void>((r) => (open = r));
  return { armed: false, reached, opened, signal, open };
}

function gatedChanges(drivers: Drivers, g: ReturnType<typeof gate>): Drivers {
  const snapshotter = new Proxy(drivers.snapshotter, {
    get(target, key, receiver) {
      if (key === 'changes') {
        return async (...args: Parameters<Snapshotter['changes']>) => {
          if (g.armed) {
            g.signal();
            await g.opened;
          }
          return target.changes(...args);
        };
      }
      const value = Reflect.get(target, key, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  }) as Snapshotter;
  return { ...drivers, snapshotter };
}

describe('a state snapshot taken while a container is removed', () => {
  // The sandbox answered GET /state with 500 INTERNAL (ENOENT on the removed snapshot's dir)
  // whenever a `docker run --rm` or a `docker rm` ended during the read: a page polling the
  // state through a long output met it several times a run.
  it('leaves out the container that went, instead of failing the whole snapshot', async () => {
    const g = gate();
    const engine = await createSimEngine({ decorate: (d) => gatedChanges(d, g) });
    expect((await engine.exec('docker run -d --name stays busybox sleep 100')).exitCode).toBe(0);
    expect((await engine.exec('docker run -d --name goes busybox sleep 100')).exitCode).toBe(0);
    g.armed = true;
    const snapshot = engine.state();
    await g.reached;
    g.armed = false;
    expect((await engine.exec('docker rm -f goes')).exitCode).toBe(0);
    g.open();
    const state = await snapshot;
    expect(state.containers.map((c) => c.name)).toEqual(['stays']);
  });
});
