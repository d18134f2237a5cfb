import { concatBytes } from '../format/concat-bytes.js';
import { yieldToLoop } from '../digest-stream.js';
import type { Steps } from '../loop-slices.js';
import type { FileContent } from './change.js';

/**
 * What a tar parse asks of the tar it reads, so that one parse reads a tar held in memory
 * and a tar that streams from a file or a blob alike:
 * - `{ read: n }` the next n bytes (a header, a PAX or GNU long-name body): fewer at the end;
 * - `{ skip: n }` bytes passed over (a file's padding);
 * - `{ data: n }` a file's n bytes as content: a view where the tar is held, a `stream`
 *   that reads them again from the source where the tar streams, so no file is ever held;
 *   undefined when the tar ends first;
 * - `undefined` a point where the parse may give the event loop a turn.
 */
export type TarNeed = { read: number } | { skip: number } | { data: number } | undefined;
export type TarGot = Uint8Array | FileContent | undefined;
export type TarSteps<T> = Generator<TarNeed, T, TarGot>;

/** A parse over a tar held in memory, as plain `Steps` (run at once, or in slices). */
export function* overBytes<T>(bytes: Uint8Array, steps: TarSteps<T>): Steps<T> {
  let pos = 0;
  let got: TarGot;
  for (;;) {
    const next = steps.next(got);
    if (next.done) return next.value;
    const need = next.value;
    got = undefined;
    if (need === undefined) yield;
    else if ('read' in need) {
      got = bytes.subarray(pos, pos + need.read);
      pos += got.length;
    } else if ('skip' in need) pos += need.skip;
    else {
      if (pos + need.data <= bytes.length) got = { type: 'bytes', bytes: bytes.subarray(pos, pos + need.data) };
      pos += need.data;
    }
  }
}

/** Reads a range of the tar's source again: `length` bytes from `offset`, by chunks. */
export type RangeReader = (offset: number, length: number) => AsyncIterable<Uint8Array>;

/**
 * A parse over a tar of known `size` read by ranges (an archive in the workspace, a stored
 * blob): headers are read through a bounded buffer; a file's bytes of more than a chunk are
 * not read at all — the next range starts past them — and given as a `stream` content that
 * reads them from `range` when they are wanted. So indexing a 200 MiB layer reads its headers.
 */
export async function overRanges<T>(size: number, range: RangeReader, steps: TarSteps<T>): Promise<T> {
  const cursor = new RangeCursor(size, range);
  // Each need is a few awaits, which let no timer in: a turn of the loop every so many, as
  // well as where the parse asks (a layer of 30 000 small files held the loop for seconds).
  let needs = 0;
  try {
    let got: TarGot;
    for (;;) {
      const next = steps.next(got);
      if (next.done) return next.value;
      const need = next.value;
      got = undefined;
      if (need === undefined || ++needs % NEEDS_PER_TURN === 0) await yieldToLoop();
      if (need === undefined) continue;
      if ('read' in need) got = await cursor.read(need.read);
      else if ('skip' in need) await cursor.skip(need.skip);
      else {
        const offset = cursor.pos;
        const length = need.data;
        if ((await cursor.skip(length)) === length) got = { type: 'stream', size: length, open: () => range(offset, length) };
      }
    }
  } finally {
    await cursor.close();
  }
}

const NEEDS_PER_TURN = 2048;

/** Reads a source of known size from `pos` on; a skip past what is buffered drops the read
 * under way, and the next read opens a range where the skip ends. */
class RangeCursor {
  private buf: Uint8Array = new Uint8Array(0);
  private off = 0;
  private source: AsyncIterator<Uint8Array> | undefined;
  pos = 0;

  constructor(
    private readonly size: number,
    private readonly range: RangeReader,
  ) {}

  private get available(): number {
    return this.buf.length - this.off;
  }

  async read(n: number): Promise<Uint8Array> {
    while (this.available < n && this.pos + this.available < this.size) {
      this.source ??= this.range(this.pos + this.available, this.size - this.pos - this.available)[Symbol.asyncIterator]();
      const next = await this.source.next();
      if (next.done) break;
      // What is left of the last chunk is a header's first part at most: the copy is small.
      this.buf = this.available > 0 ? concatBytes([this.buf.subarray(this.off), next.value]) : next.value;
      this.off = 0;
    }
    const out = this.buf.subarray(this.off, this.off + Math.min(n, this.available));
    this.off += out.length;
    this.pos += out.length;
    return out;
  }

  /** Passes over up to n bytes without reading them; how many there were. */
  async skip(n: number): Promise<number> {
    const take = Math.min(n, this.size - this.pos);
    if (take <= this.available) this.off += take;
    else {
      this.buf = new Uint8Array(0);
      this.off = 0;
      await this.close();
    }
    this.pos += take;
    return take;
  }

  async close(): Promise<void> {
    const source = this.source;
    this.source = undefined;
    await source?.return?.();
  }
}
