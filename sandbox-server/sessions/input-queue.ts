/**
 * A command's stdin fed from WebSocket messages: `push` as they arrive, `end` on EOF
 * (Ctrl-D or the socket closing); the engine reads it as an AsyncIterable.
 */
export class InputQueue implements AsyncIterable<Uint8Array> {
  private readonly chunks: Uint8Array[] = [];
  private waiting: ((result: IteratorResult<Uint8Array>) => void) | undefined;
  private ended = false;
  private bytes = 0;

  /** @param maxBufferedBytes input not yet read by the process; past it input is refused. */
  constructor(private readonly maxBufferedBytes = 1024 * 1024) {}

  /** Returns false when the input was refused (ended, or the process is not reading). */
  push(chunk: Uint8Array): boolean {
    if (this.ended) return false;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: chunk, done: false });
      return true;
    }
    if (this.bytes + chunk.byteLength > this.maxBufferedBytes) return false;
    this.chunks.push(chunk);
    this.bytes += chunk.byteLength;
    return true;
  }

  end(): void {
    this.ended = true;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: undefined, done: true });
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return {
      next: () => {
        const chunk = this.chunks.shift();
        if (chunk) {
          this.bytes -= chunk.byteLength;
          return Promise.resolve({ value: chunk, done: false });
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
