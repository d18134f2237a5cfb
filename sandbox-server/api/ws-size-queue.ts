import type { TerminalSize } from '../../src/engine/engine.js';

/**
 * A command's terminal sizes fed from `resize` messages; the engine reads them as an
 * AsyncIterable. Only the latest unread size is kept: a window dragged wide sends many,
 * and the pty needs only where it ended.
 */
export class SizeQueue implements AsyncIterable<TerminalSize> {
  private latest: TerminalSize | undefined;
  private waiting: ((result: IteratorResult<TerminalSize>) => void) | undefined;
  private ended = false;

  push(size: TerminalSize): void {
    if (this.ended) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: size, done: false });
    } else this.latest = size;
  }

  end(): void {
    this.ended = true;
    const resolve = this.waiting;
    this.waiting = undefined;
    resolve?.({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<TerminalSize> {
    return {
      next: () => {
        const size = this.latest;
        if (size) {
          this.latest = undefined;
          return Promise.resolve({ value: size, done: false });
        }
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (this.waiting = resolve));
      },
      return: () => {
        this.end();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
