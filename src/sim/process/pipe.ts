import { Input, toBytes, type Output } from './streams.js';

/** A write to a pipe whose reader has gone: the writer dies of SIGPIPE, as on Linux. */
export class BrokenPipe extends Error {
  constructor() {
    super('Broken pipe');
    this.name = 'BrokenPipe';
  }
}

/** A pipe: `write` never blocks (memory is the buffer); the reader awaits chunks. */
export class Pipe {
  private queue: Uint8Array[] = [];
  private waiter: (() => void) | undefined;
  private closed = false;
  private readerGone = false;

  readonly writer: Output & { close(): void } = {
    isTTY: false,
    write: (data) => {
      if (this.readerGone) throw new BrokenPipe();
      const b = toBytes(data);
      if (!b.length) return;
      this.queue.push(b);
      this.wake();
    },
    close: () => {
      this.closed = true;
      this.wake();
    },
  };

  readonly reader: Input;

  constructor() {
    this.reader = new Input({
      [Symbol.asyncIterator]: () => ({
        next: async (): Promise<IteratorResult<Uint8Array>> => {
          for (;;) {
            const chunk = this.queue.shift();
            if (chunk) return { done: false, value: chunk };
            if (this.closed) return { done: true, value: undefined };
            await new Promise<void>((r) => (this.waiter = r));
          }
        },
        return: async (): Promise<IteratorResult<Uint8Array>> => {
          this.readerGone = true;
          this.queue = [];
          return { done: true, value: undefined };
        },
      }),
    });
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }
}
