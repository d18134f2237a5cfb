import type { ImageState } from '../engine/state.js';

/**
 * `busybox` → `busybox:latest`, `docker.io/library/busybox` → `busybox:latest`.
 * Docker: a reference without a tag means `:latest`, and Docker Hub's official
 * images are listed without their `docker.io/library/` prefix.
 */
export function normalizeRef(ref: string): string {
  let name = ref.replace(/^docker\.io\//, '').replace(/^library\//, '');
  if (name.includes('@')) return name;
  const lastSlash = name.lastIndexOf('/');
  if (!name.slice(lastSlash + 1).includes(':')) name += ':latest';
  return name;
}

const ID_PREFIX = /^(sha256:)?[0-9a-f]{1,64}$/;

/** The image a reference names: a tag, a full ID or a unique ID prefix, as Docker resolves it. */
export function findImage(images: readonly ImageState[], ref: string): ImageState | undefined {
  const wanted = normalizeRef(ref);
  const byTag = images.find((image) => image.repoTags.includes(wanted));
  if (byTag) return byTag;
  if (!ID_PREFIX.test(ref)) return undefined;
  const prefix = ref.startsWith('sha256:') ? ref : `sha256:${ref}`;
  const hits = images.filter((image) => image.id.startsWith(prefix));
  return hits.length === 1 ? hits[0] : undefined;
}
