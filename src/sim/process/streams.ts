/** A simulated process's standard streams: terminal/pipe/file outputs and a line-aware input reader. */

import { concatBytes } from '../../engine/format/concat-bytes.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function toBytes(data: string | Uint8Array): Uint8Array {
  return typeof data === 'string' ? encoder.encode(data) : data;
}

export function toText(data: Uint8Array): string {
  return decoder.decode(data);
}

export interface Output {
  write(data: string | Uint8Array): void;
  /** isatty(): `ls` prints columns and `sh` a prompt only on a terminal. */
  readonly isTTY: boolean;
}

export const nullOutput: Output = { write() {}, isTTY: false };

/** Collects output as text (command substitution, tests). */
export class BufferOutput implements Output {
  private chunks: Uint8Array[] = [];
  constructor(readonly isTTY = false) {}
  write(data: string | Uint8Array): void {
    this.chunks.push(toBytes(data));
  }
  bytes(): Uint8Array {
    return concatBytes(this.chunks);
  }
  text(): string {
    return toText(this.bytes());
  }
}

/**
 * The end of input a terminal gives once (^D on an empty line): the reader sees end of
 * file, and a later read waits for more keys, as read(2) on a pty returns 0 and goes on.
 */
export const TTY_EOF = new Uint8Array(0);

/** Reads chunks from any source, with the line and whole-input reads applets need. */
export class Input {
  private buf: Uint8Array = new Uint8Array(0);
  private done = false;
  private readonly iterator: AsyncIterator<Uint8Array> | undefined;

  constructor(source?: AsyncIterable<Uint8Array>) {
    this.iterator = source?.[Symbol.asyncIterator]();
    if (!this.iterator) this.done = true;
  }

  static empty(): Input {
    return new Input();
  }

  static of(text: string | Uint8Array): Input {
    const bytes = toBytes(text);
    return new Input(
      (async function* () {
        yield bytes;
      })(),
    );
  }

  /** The next chunk, or null at end of input. */
  async read(): Promise<Uint8Array | null> {
    if (this.buf.length) {
      const b = this.buf;
      this.buf = new Uint8Array(0);
      return b;
    }
    if (this.done || !this.iterator) return null;
    const r = await this.iterator.next();
    if (r.done) {
      this.done = true;
      return null;
    }
    return r.value === TTY_EOF ? null : r.value;
  }

  /** One line without its newline; null at end of input. A last line without newline counts. */
  async readLine(): Promise<string | null> {
    for (;;) {
      const nl = this.buf.indexOf(10);
      if (nl >= 0) {
        const line = this.buf.subarray(0, nl);
        this.buf = this.buf.subarray(nl + 1);
        return toText(line);
      }
      if (this.done) {
        if (!this.buf.length) return null;
        const line = this.buf;
        this.buf = new Uint8Array(0);
        return toText(line);
      }
      const r = this.iterator ? await this.iterator.next() : { done: true as const, value: undefined };
      if (r.done) this.done = true;
      else if (r.value === TTY_EOF) {
        const line = this.buf;
        this.buf = new Uint8Array(0);
        return line.length ? toText(line) : null;
      } else this.buf = concatBytes([this.buf, r.value]);
    }
  }

  async readAll(): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    for (let c = await this.read(); c; c = await this.read()) parts.push(c);
    return parts.length === 1 ? parts[0]! : concatBytes(parts);
  }

  async readText(): Promise<string> {
    return toText(await this.readAll());
  }

  /** Stops reading: a pipe's writer then gets SIGPIPE. */
  close(): void {
    this.done = true;
    this.buf = new Uint8Array(0);
    void this.iterator?.return?.();
  }
}
