import type { Digest } from '../digest.js';

/** Where a layer was seen on a registry: its compressed blob there and the repository (`localhost:5000/app`). */
export interface BlobSource {
  digest: Digest;
  repository: string;
}

/**
 * moby's v2 metadata service: for each layer (by diffID) the compressed blobs it was pushed
 * as or pulled from, and in which repositories. `push` asks it whether a layer is already in
 * the target repository (`Layer already exists`, after a HEAD) or can be mounted from another
 * (`Mounted from bb`); `pull` adds what it fetched.
 */
export class BlobSources {
  readonly #byDiffId = new Map<Digest, BlobSource[]>();

  add(diffId: Digest, source: BlobSource): void {
    const list = this.#byDiffId.get(diffId) ?? [];
    if (!list.some((s) => s.digest === source.digest && s.repository === source.repository)) list.push(source);
    this.#byDiffId.set(diffId, list);
  }

  of(diffId: Digest): readonly BlobSource[] {
    return this.#byDiffId.get(diffId) ?? [];
  }
}
