import type { Digest } from '../digest.js';

/**
 * Where a backend gets the bytes of a layer it describes but does not hold — the
 * simulator's busybox base layer, whose binary it knows by size and digest only. The site
 * build ships that layer's tar as a static asset (`scripts/lib/base-layer.mjs`); the
 * browser's source fetches it the first time a `docker save` needs it.
 */
export interface LayerSource {
  /** The layer's uncompressed tar, or in words why it cannot be had (the site was built without it). */
  fetch(diffId: Digest): Promise<{ tar: Uint8Array } | { missing: string }>;
}
