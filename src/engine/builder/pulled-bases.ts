import type { Digest } from '../digest.js';
import type { PulledBase } from '../registry/buildkit-source.js';

const bases = new WeakMap<object, Map<Digest, PulledBase>>();

/**
 * The base images an engine's BuildKit pulled, by manifest digest: BuildKit's cache holds a
 * pulled FROM image (moby's classic image store does not list it), so a later build from the
 * same manifest does nothing in its FROM vertex while the layers are still here. Keyed by the
 * image store, as the build cache is (`buildCacheFor`).
 */
export function pulledBasesFor(owner: object): Map<Digest, PulledBase> {
  let known = bases.get(owner);
  if (!known) {
    known = new Map();
    bases.set(owner, known);
  }
  return known;
}
