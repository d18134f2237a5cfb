import type { Engine } from '../../../src/engine/engine.js';
import { createSimEngine, type SimEngineOptions } from '../../../src/sim/create-sim-engine.js';
import { FakeClock } from './fake-clock.js';

/** A seeded [0, 1) source, so generated IDs and names repeat run to run. */
export function seeded(seed = 1): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export interface TestEngine {
  engine: Engine;
  clock: FakeClock;
  /** Runs a command line; stdout, then `! stderr`, then `[exit N]`, as a case file shows it. */
  run(line: string): Promise<string>;
}

export async function aSimEngine(opts: Pick<SimEngineOptions, 'limits'> = {}): Promise<TestEngine> {
  const clock = new FakeClock();
  const engine = await createSimEngine({ clock, random: seeded(), ...opts });
  return {
    engine,
    clock,
    async run(line) {
      const r = await clock.settle(engine.exec(line));
      const err = r.stderr ? r.stderr.replace(/^/gm, '! ').replace(/! $/, '') : '';
      return `${r.stdout}${err}[exit ${r.exitCode}]`;
    },
  };
}
