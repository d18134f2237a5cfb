/**
 * What a queue keeps of what is pushed and not yet read:
 * - `all` (default): every item, in order — a learner's typed input;
 * - `all` with `bound`: the same, but an item that would take the unread total past
 *   `bound.max` (measured by `bound.size`) is refused — a process that does not read its
 *   stdin must not make the server hold what a socket sends;
 * - `latest`: only the newest unread item — terminal sizes, where a dragged window sends
 *   many and the pty needs only where it ended.
 * An item pushed while the reader waits is handed over at once, whatever the policy.
 */
export type QueuePolicy<T> = { keep: 'all'; bound?: { max: number; size: (item: T) => number } } | { keep: 'latest' };

/**
 * Values pushed by one side (the page's keys and sizes, a WebSocket's stdin and `resize`
 * messages) read by the engine as an AsyncIterable: `ExecOptions.stdin` and
 * `ExecOptions.resize`. `end` is EOF (Ctrl-D, the socket closing); the reader stopping
 * ends it too.
 */
export class PushQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | undefined;
  private ended = false;
  private buffered = 0;

  constructor(private readonly policy: QueuePolicy<T> = { keep: 'all' }) {}

  /** Returns false when the item was refused: the queue has ended, or its bound is reached. */
  push(item: T): boolean {
    if (this.ended) return false;
    const resolve = this.waiting;
    if (resolve) {
      this.waiting = undefined;
      resolve({ value: item, done: false });
      return true;
    }
    if (this.policy.keep === 'latest') {
      this.items.length = 0;
    } else if (this.policy.bound) {
      const size = this.policy.bound.size(item);
      if (this.buffered + size > this.policy.bound.max) return false;
      this.buffered += size;
    }
    this.items.push(item);
    return true;
  }

  end(): void {
    this.ended = true;
    const resolve = this.waiting;
    this.waiting = undefined;
    resolve?.({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.items.length > 0) {
          const item = this.items.shift()!;
          if (this.policy.keep === 'all' && this.policy.bound) this.buffered -= this.policy.bound.size(item);
          return Promise.resolve({ value: item, done: false });
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
