import type { Clock } from '../../../src/engine/drivers/clock.js';

interface Timer {
  at: number;
  resolve(): void;
}

/**
 * Time that moves only when the test says so, or — with `settle` — when nothing but
 * timers is left to run, so `docker stop -t 10` takes no real time.
 */
export class FakeClock implements Clock {
  #now: number;
  #timers: Timer[] = [];

  constructor(start = Date.parse('2025-06-01T12:00:00Z')) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer: Timer = { at: this.#now + ms, resolve };
      this.#timers.push(timer);
      signal?.addEventListener(
        'abort',
        () => {
          this.#timers = this.#timers.filter((t) => t !== timer);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }

  /** Moves time forward, firing the timers that fall due on the way. */
  async advance(ms: number): Promise<void> {
    const end = this.#now + ms;
    for (;;) {
      const next = this.#timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.#now = next.at;
      this.#timers = this.#timers.filter((t) => t !== next);
      next.resolve();
      await idle();
    }
    this.#now = end;
  }

  /** Awaits `work`, jumping to the next timer whenever everything else is waiting. */
  async settle<T>(work: Promise<T>): Promise<T> {
    let done = false;
    const result = work.finally(() => {
      done = true;
    });
    for (;;) {
      await idle();
      if (done) return result;
      const next = this.#timers.sort((a, b) => a.at - b.at)[0];
      if (!next) return result;
      await this.advance(next.at - this.#now);
    }
  }
}

/** Lets pending promise jobs and immediates run. */
async function idle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
}
