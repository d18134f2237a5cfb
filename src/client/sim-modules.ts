import type { Engine } from '../engine/engine.js';
import type * as SimEngineModule from '../sim/create-sim-engine.js';
import type * as MemoryWorkspaceModule from '../sim/memory-workspace.js';
import type * as LayerSourceModule from '../sim/fetched-layer-source.js';

type SimModules = [typeof SimEngineModule, typeof MemoryWorkspaceModule, typeof LayerSourceModule, unknown];
let simModules: Promise<SimModules> | undefined;

/**
 * The simulator's code, fetched once a page: page-engine.ts asks for it when it opens a simulator (and ahead, when
 * the page is idle), the site's iframe route when its widget starts. The CLI too, which the simulator imports, with
 * `attach-mode.ts` (a `server=` widget reads a command's flags with it, and no simulator), asked for beside the
 * simulator's, not once the simulator's has been fetched and parsed. The embed's build resolves all of it in its
 * one start file (src/embed/layerlab.ts).
 */
export const loadSim = (): Promise<SimModules> =>
  (simModules ??= Promise.all([
    import('../sim/create-sim-engine.js'),
    import('../sim/memory-workspace.js'),
    import('../sim/fetched-layer-source.js'),
    import('./attach-mode.js'),
  ]));

/** Fetches the simulator's code ahead of its use (a failed fetch is tried again on use). */
export function prefetchSimulator(): void {
  void loadSim().catch(() => (simModules = undefined));
}

/**
 * The simulator, its build context preset with `files`; `site` is where the site's files are
 * (the base layer's tar for `docker save`): this page's, or an embed's Layerlab server.
 */
export async function simEngine(
  files: { path: string; bytes: Uint8Array }[],
  site = new URL(import.meta.env.BASE_URL, location.href).href,
): Promise<Engine> {
  const [{ createSimEngine }, { MemoryWorkspace }, { fetchedLayerSource }] = await loadSim();
  return createSimEngine({ workspace: new MemoryWorkspace(files), layerSource: fetchedLayerSource(site) });
}
