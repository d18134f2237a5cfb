import { fallbackFor } from '../client/health.js';
import { HealingEngine, type SessionNotice } from '../client/healing-engine.js';
import { simEngine } from '../client/sim-modules.js';
import { createRemoteEngine } from '../client/remote-engine.js';
import type { Engine } from '../engine/engine.js';
import type { EmbedOptions } from './embed-options.js';

const encoder = new TextEncoder();

/**
 * One widget's own engine (never the page's: two widgets on a page share no state): the
 * simulator, or with `server` a session of that sandbox server — a new one if it is gone, the
 * simulator if it refuses one (full, or this address holds its share). `site` is the Layerlab
 * server the bundle came from, where the simulator fetches the base layer's tar.
 */
export async function openEmbedEngine(
  options: Pick<EmbedOptions, 'files' | 'server'>,
  site: string,
  notify: (n: SessionNotice) => void,
): Promise<HealingEngine> {
  const files = Object.entries(options.files).map(([path, text]) => ({ path, bytes: encoder.encode(text) }));
  const sim = () => simEngine(files, site);
  const server = options.server;
  if (server === undefined) return new HealingEngine(await sim(), { open: sim, notify });
  // DESIGN.md: PUT /api/sessions/:id/files/<path>; bearer tokens, no cookies (the API sends none).
  const open = async (): Promise<Engine> => {
    const engine = await createRemoteEngine({ baseUrl: server, fetch: fetch.bind(globalThis), WebSocket });
    await Promise.all(files.map((f) => engine.workspace.write(f.path, f.bytes)));
    return engine;
  };
  let first: Engine;
  try {
    first = await open();
  } catch (error) {
    if (fallbackFor(error) === undefined) throw error;
    notify({ kind: 'simulator' });
    return new HealingEngine(await sim(), { open: sim, notify });
  }
  return new HealingEngine(first, {
    open,
    simulate: () => sim(),
    fallsBack: (e) => fallbackFor(e) !== undefined,
    notify,
    visibility: document,
  });
}
