import './buffer-shim.js';
import type { Engine } from '../engine/engine.js';
import { decodeStartingFiles } from '../lessons/starting-files.js';
import { fallbackFor, pageBackend, settleBackend } from './health.js';
import { createRemoteEngine } from './remote-engine.js';

let cached: Promise<Engine> | undefined;

/** The selector of the JSON island a lesson page with starting files carries. */
export const STARTING_FILES_SELECTOR = 'script[data-lesson-files]';

/** The page's starting files (a lesson's `files/`), none on pages without the island. */
function startingFiles(): { path: string; bytes: Uint8Array }[] {
  const island = document.querySelector(STARTING_FILES_SELECTOR);
  return island?.textContent ? decodeStartingFiles(island.textContent) : [];
}

/**
 * The page's one engine, shared by its islands: the sandbox when the server runs real
 * containers, else the simulator in the browser (DESIGN.md: one engine, two backends).
 * The simulator is loaded only when it is the one used. Either way the build context
 * starts with the lesson's files, so `docker build .` in the lesson finds them.
 */
export function pageEngine(): Promise<Engine> {
  cached ??= pageBackend().then(async (choice) => {
    const files = startingFiles();
    if (choice.backend === 'linux') {
      let engine: Engine;
      try {
        engine = await createRemoteEngine({ fetch: fetch.bind(globalThis), WebSocket });
      } catch (error) {
        // The server is full (or this address holds its share): the simulator, and the badge says why.
        const fallback = fallbackFor(error);
        if (!fallback) throw error;
        settleBackend(fallback);
        return simEngine(files);
      }
      // The page's session ends with the page, not at its idle timeout: a learner walking
      // through lessons holds one sandbox, not one per page (LAYERLAB_SESSIONS_PER_ADDRESS).
      addEventListener('pagehide', (event) => {
        if (!event.persisted) void engine.dispose().catch(() => undefined);
      });
      // DESIGN.md: PUT /api/sessions/:id/files/<path> writes a build-context file.
      await Promise.all(files.map((f) => engine.workspace!.write(f.path, f.bytes)));
      return engine;
    }
    return simEngine(files);
  });
  return cached;
}

async function simEngine(files: { path: string; bytes: Uint8Array }[]): Promise<Engine> {
  const [{ createSimEngine }, { MemoryWorkspace }, { fetchedLayerSource }] = await Promise.all([
    import('../sim/create-sim-engine.js'),
    import('../sim/memory-workspace.js'),
    import('../sim/fetched-layer-source.js'),
  ]);
  return createSimEngine({ workspace: new MemoryWorkspace(files), layerSource: fetchedLayerSource(new URL(import.meta.env.BASE_URL, location.href).href) });
}
