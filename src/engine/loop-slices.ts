import { yieldToLoop } from './digest-stream.js';

/**
 * A long piece of work on learner data (parsing a layer tar of 100 000 entries, an
 * archive) written once, as a generator that yields wherever it may pause, and run one of
 * two ways: at once (a small tar, a caller that cannot wait), or with a turn of the event
 * loop at each yield, so one learner's `docker load` never stalls everyone else's requests.
 */
export type Steps<T> = Generator<void, T, void>;

export function runAtOnce<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

export async function runInSlices<T>(steps: Steps<T>): Promise<T> {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    await yieldToLoop();
  }
}

/** Counts work (entries, bytes) and says when a slice's worth is done: the yield points. */
export class SliceBudget {
  private done = 0;
  constructor(private readonly size: number) {}

  /** True when `work` more ends a slice (the caller then yields). */
  spend(work: number): boolean {
    this.done += work;
    if (this.done < this.size) return false;
    this.done = 0;
    return true;
  }
}
