/** The cgroup freezer: a paused container's processes stop at their next wait. */
export class Freezer {
  private paused = false;
  private waiters: (() => void)[] = [];

  get isPaused(): boolean {
    return this.paused;
  }
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
  /** Resolves when the container is not frozen. */
  thaw(): Promise<void> | undefined {
    if (!this.paused) return undefined;
    return new Promise((r) => this.waiters.push(r));
  }
}
