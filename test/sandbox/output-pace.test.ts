import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { OutputPace } from '../../sandbox-server/linux/output-pace.js';

describe('OutputPace: a session’s output is read no faster than its rate', () => {
  it('lets a burst through at once, then asks to wait as long as the rate needs for the excess', () => {
    let now = 0;
    const pace = new OutputPace(1000, 500, () => now);
    expect(pace.take(500)).toBe(0);
    // 250 bytes past an empty bucket at 1000 B/s: a quarter of a second.
    expect(pace.take(250)).toBe(250);
    now += 250;
    expect(pace.take(0)).toBe(0);
    now += 1000;
    // Refilled to the burst, never beyond it.
    expect(pace.take(600)).toBe(100);
  });

  it('pauses a stream that emptied the bucket and resumes it once refilled', async () => {
    const pace = new OutputPace(64 * 1024, 64 * 1024);
    const stream = new PassThrough();
    const seen: number[] = [];
    stream.on('data', (c: Buffer) => seen.push(c.byteLength));
    pace.pace(stream);
    stream.write(Buffer.alloc(64 * 1024));
    stream.write(Buffer.alloc(32 * 1024));
    stream.write(Buffer.alloc(16 * 1024));
    await new Promise((r) => setImmediate(r));
    // The second chunk overdrew the bucket: the third waits for the refill (~500 ms).
    expect(stream.isPaused()).toBe(true);
    expect(seen).toEqual([64 * 1024, 32 * 1024]);
    await new Promise((r) => setTimeout(r, 800));
    expect(seen).toEqual([64 * 1024, 32 * 1024, 16 * 1024]);
  });
});
