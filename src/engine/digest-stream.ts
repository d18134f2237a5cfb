import type { Digest } from './digest.js';
import { Sha256, toHex } from './sha256.js';

/** How much is hashed (or written) between two turns of the event loop: a few ms of work,
 * so one learner's 100 MB layer never stalls everyone else's requests. */
export const SLICE_BYTES = 4 * 1024 * 1024;

/** Gives the event loop a turn (timers, I/O of other sessions) before going on. */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** An incremental sha256 that yields to the event loop every `SLICE_BYTES`. */
export class Sha256Stream {
  private readonly hash = new Sha256();
  private sinceYield = 0;
  size = 0;

  async update(chunk: Uint8Array): Promise<void> {
    for (let off = 0; off < chunk.length; off += SLICE_BYTES) {
      const slice = chunk.subarray(off, off + SLICE_BYTES);
      this.hash.update(slice);
      this.size += slice.length;
      this.sinceYield += slice.length;
      if (this.sinceYield >= SLICE_BYTES) {
        this.sinceYield = 0;
        await yieldToLoop();
      }
    }
  }

  digest(): Digest {
    return `sha256:${toHex(this.hash.digest())}` as Digest;
  }
}

/** sha256 of a blob or a stream of chunks, yielding to the event loop as it goes. */
export async function sha256Chunks(chunks: Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<Digest> {
  const h = new Sha256Stream();
  if (chunks instanceof Uint8Array) await h.update(chunks);
  else for await (const c of chunks) await h.update(c);
  return h.digest();
}
