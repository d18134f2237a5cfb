import type { Readable } from 'node:stream';

/**
 * How fast one session's containers may hand the server output: a token bucket shared by
 * every output stream of the session (its containers' and execs'). Past it the server
 * stops reading for a while; the pipe fills and the writer blocks in the kernel, at no
 * cost to anyone. Without it `cat /dev/zero` makes the server read, decode and drop
 * output as fast as a core allows — the learner's container is CPU-limited, but the
 * server's work for it is not, and every other session waits for that core.
 * Docker has no such bound (dockerd reads a flood as fast as it comes); a shared
 * sandbox keeps one, as it keeps json-file's `max-size`.
 */
/** A lesson's largest outputs (a few hundred KB) pass at once; a flood costs the server ~1% of a core. */
export const DEFAULT_OUTPUT_BYTES_PER_SECOND = 4 * 1024 * 1024;

export class OutputPace {
  private tokens: number;
  private last: number;

  /** `bytesPerSecond` refills the bucket; up to `burstBytes` pass at once (a lesson's outputs are far below both). */
  constructor(
    readonly bytesPerSecond: number,
    readonly burstBytes: number = bytesPerSecond,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burstBytes;
    this.last = now();
  }

  /** Takes `bytes` from the bucket; how many ms to wait before reading more (0: go on). */
  take(bytes: number): number {
    const t = this.now();
    this.tokens = Math.min(this.burstBytes, this.tokens + ((t - this.last) * this.bytesPerSecond) / 1000);
    this.last = t;
    this.tokens -= bytes;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens * 1000) / this.bytesPerSecond);
  }

  /** Reads `stream` at the pace: after a chunk that empties the bucket the stream is paused until it has refilled. */
  pace(stream: Readable): void {
    stream.on('data', (chunk: Uint8Array) => {
      const wait = this.take(chunk.byteLength);
      if (wait === 0 || stream.destroyed) return;
      stream.pause();
      setTimeout(() => stream.resume(), wait).unref();
    });
  }
}
