import type { HealingEngine } from '../client/healing-engine.js';

/**
 * What the islands ask for an engine in the embed's build (`import.meta.env.LAYERLAB_EMBED`, build-embed.mjs):
 * nothing — each widget gives its terminal, picture and editor its own engine before they connect (src/embed/).
 * With the page's engine out of their code, its modules (the page's backend choice, its health checks, the
 * workshop's seat) are out of the embed's bytes; asked for all the same, it says why there is none.
 */
export function noPageEngine(): Promise<HealingEngine> {
  return Promise.reject(new Error('an embedded widget has no page engine: it gives its islands their own'));
}
