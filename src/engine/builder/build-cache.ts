import { sha256, type Digest } from '../digest.js';
import type { Change, FileContent } from '../layer/change.js';

/** What a step left behind, kept so a rebuild can reuse it: its layer (if it made one)
 * and its history time, so the rebuilt image config — and so the image ID — is the same. */
export interface CachedStep {
  created: string;
  layer: { diffId: Digest; chainId: Digest; size: number } | null;
}

/**
 * The build cache. A step's key chains its parent's key with what the step does (the
 * expanded instruction; for COPY/ADD the content and metadata of the files, never their
 * mtimes), so a changed step changes every key after it: the first miss invalidates
 * every later step, as Docker's cache does.
 */
export class BuildCache {
  private readonly steps = new Map<string, CachedStep>();

  get(key: string): CachedStep | undefined {
    return this.steps.get(key);
  }

  set(key: string, step: CachedStep): void {
    this.steps.set(key, step);
  }

  delete(key: string): void {
    this.steps.delete(key);
  }

  get size(): number {
    return this.steps.size;
  }
}

/** The key of a step: sha256 over the parent key and the step's description. */
export function stepKey(parentKey: string, description: unknown): string {
  return sha256(`${parentKey}\n${JSON.stringify(description)}`);
}

function contentDigest(content: FileContent): string {
  if (content.type === 'bytes') return sha256(content.bytes);
  if (content.type === 'external') return content.digest;
  // Only a commit or an unpack streams a file; a build's cache reads entries held in memory.
  throw new TypeError('a streamed file has no digest in a cache key');
}

/** The content address of layer entries: paths, kinds, modes, owners, link targets and
 * file digests — what Docker's COPY cache compares (mtimes are not part of it). */
export function changesDigest(changes: readonly Change[]): Digest {
  const lines = changes.map((c) => {
    switch (c.kind) {
      case 'file':
        return `f ${c.path} ${c.mode.toString(8)} ${c.uid}:${c.gid} ${contentDigest(c.content)}`;
      case 'dir':
        return `d ${c.path} ${c.mode.toString(8)} ${c.uid}:${c.gid}${c.opaque ? ' opaque' : ''}`;
      case 'symlink':
        return `l ${c.path} ${c.mode.toString(8)} ${c.uid}:${c.gid} ${c.target}`;
      case 'whiteout':
        return `w ${c.path}`;
    }
  });
  return sha256(lines.join('\n'));
}

const caches = new WeakMap<object, BuildCache>();

/** The build cache of an engine, keyed by its image store (the cache lives as long as
 * the images it points at). */
export function buildCacheFor(owner: object): BuildCache {
  let cache = caches.get(owner);
  if (!cache) {
    cache = new BuildCache();
    caches.set(owner, cache);
  }
  return cache;
}
