import type { LayerSource } from '../engine/drivers/layer-source.js';
import type { Digest } from '../engine/digest.js';

/** Where the site build puts a base layer's tar (scripts/build-base-layer.mjs writes it there). */
export function baseLayerPath(diffId: Digest): string {
  return `base-layers/${diffId.slice('sha256:'.length)}.tar`;
}

/**
 * The simulator's `LayerSource` in a browser: the base layer's tar as the site build
 * wrote it, fetched once (a second save reads it from the content store). A site built
 * where busybox-static was not installed has no such file; the error says so.
 */
export function fetchedLayerSource(base: string, fetchFn: typeof fetch = fetch): LayerSource {
  return {
    async fetch(diffId) {
      const url = `${base.replace(/\/?$/, '/')}${baseLayerPath(diffId)}`;
      let res: Response;
      try {
        res = await fetchFn(url);
      } catch (e) {
        return { missing: `fetching ${url} failed (${(e as Error).message})` };
      }
      if (res.status === 404)
        return { missing: `this site was built without the base layer's bytes (${url}: busybox-static was not installed where it was built)` };
      if (!res.ok) return { missing: `fetching ${url} answered ${res.status}` };
      return { tar: new Uint8Array(await res.arrayBuffer()) };
    },
  };
}
