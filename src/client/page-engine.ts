import type { Engine } from '../engine/engine.js';
import { pageBackend } from './health.js';
import { createRemoteEngine } from './remote-engine.js';

let cached: Promise<Engine> | undefined;

/**
 * The page's one engine, shared by its islands: the sandbox when the server runs real
 * containers, else the simulator in the browser (DESIGN.md: one engine, two backends).
 * The simulator is loaded only when it is the one used.
 */
export function pageEngine(): Promise<Engine> {
  cached ??= pageBackend().then(async (choice) => {
    if (choice.backend === 'linux') return createRemoteEngine({ fetch: fetch.bind(globalThis) });
    // Interim until src/sim/create-sim-engine.ts lands: a glob import is empty while the
    // file is missing, so the site builds and says the simulator is not there yet.
    const modules = import.meta.glob<{ createSimEngine: () => Engine | Promise<Engine> }>('../sim/create-sim-engine.ts');
    const load = modules['../sim/create-sim-engine.ts'];
    if (!load) throw new Error('the simulator is not built into this site yet');
    return (await load()).createSimEngine();
  });
  return cached;
}
