/** What a namespace may keep in the registry: a session's (`LAYERLAB_REGISTRY_*`) or a workshop's class namespace (`LAYERLAB_REGISTRY_WORKSHOP_*`). */
export interface RegistryQuota {
  bytes: number;
  repositories: number;
}

/**
 * What one namespace holds in the registry as its quota counts it: distinct blobs and
 * manifests by digest (a blob pushed to two repositories is on disk once), uploads under way,
 * and the repositories written. A session's transport keeps one; a workshop's class namespace
 * has one for all its learners' transports (registry-host.ts), so a push there counts against both.
 */
export class RegistryUsage {
  /** digest → bytes. */
  readonly stored = new Map<string, number>();
  /** upload id → bytes sent so far. */
  readonly pending = new Map<string, number>();
  /** By the learner's name (`app`, `class/alice-1/app`). */
  readonly repositories = new Set<string>();

  constructor(
    readonly quota: RegistryQuota,
    /** Who is over it, in the refusal: `this sandbox`, `this workshop's class namespace`. */
    readonly owner: string,
  ) {}

  get bytes(): number {
    let n = 0;
    for (const bytes of this.stored.values()) n += bytes;
    for (const bytes of this.pending.values()) n += bytes;
    return n;
  }

  /** Whether writing to `repository` would make one repository too many. */
  refusesRepository(repository: string): boolean {
    return !this.repositories.has(repository) && this.repositories.size >= this.quota.repositories;
  }

  store(digest: string, bytes: number): void {
    if (!this.stored.has(digest)) this.stored.set(digest, bytes);
  }

  addPending(uploadId: string, bytes: number): void {
    this.pending.set(uploadId, (this.pending.get(uploadId) ?? 0) + bytes);
  }

  /** An upload's bytes, now a blob (`digest`), or gone (no digest). */
  finishUpload(uploadId: string, digest?: string): void {
    if (digest !== undefined) this.store(digest, this.pending.get(uploadId) ?? 0);
    this.pending.delete(uploadId);
  }

  bytesMessage(): string {
    const mib = Math.round((this.quota.bytes / 2 ** 20) * 10) / 10;
    return `quota exceeded: ${this.owner} may keep ${mib} MiB in its registry`;
  }

  repositoriesMessage(): string {
    return `quota exceeded: ${this.owner} may keep ${this.quota.repositories} repositories in its registry`;
  }
}
