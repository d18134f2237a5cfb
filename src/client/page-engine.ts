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
    const { createSimEngine } = await import('../sim/create-sim-engine.js');
    return createSimEngine();
  });
  return cached;
}
