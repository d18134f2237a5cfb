/**
 * Writes to the registry against removals of blobs from its disk (registry-cleanup.ts): any
 * number of writes at once, or one removal with no write under way. A removal deletes a blob
 * only when no repository links it; a write is what links one (an upload's commit, a
 * manifest's PUT), so none may run between the removal's look and its delete.
 */
export class RegistryGate {
  private writes = 0;
  private removing: Promise<void> | undefined;
  private drained: (() => void) | undefined;

  /** Runs a write; waits while a removal runs. */
  async write<T>(work: () => Promise<T>): Promise<T> {
    while (this.removing) await this.removing;
    this.writes++;
    try {
      return await work();
    } finally {
      this.writes--;
      if (this.writes === 0) this.drained?.();
    }
  }

  /** Runs a removal once the writes under way have ended; new writes wait for it. */
  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    while (this.removing) await this.removing.catch(() => undefined);
    let done!: () => void;
    this.removing = new Promise<void>((r) => (done = r));
    try {
      if (this.writes > 0) await new Promise<void>((r) => (this.drained = r));
      this.drained = undefined;
      return await work();
    } finally {
      this.removing = undefined;
      done();
    }
  }
}
