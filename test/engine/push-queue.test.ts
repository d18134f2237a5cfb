import { describe, expect, it } from 'vitest';
import { PushQueue } from '../../src/engine/push-queue.js';

/** Reads what is already queued, then ends the queue so the read stops. */
async function drain<T>(queue: PushQueue<T>): Promise<T[]> {
  queue.end();
  const out: T[] = [];
  for await (const item of queue) out.push(item);
  return out;
}

describe('PushQueue', () => {
  it('keeps every unread item in order by default, and hands one to a waiting reader at once', async () => {
    const queue = new PushQueue<string>();
    const reader = queue[Symbol.asyncIterator]();
    const first = reader.next();
    expect(queue.push('a')).toBe(true);
    expect(await first).toEqual({ value: 'a', done: false });
    queue.push('b');
    queue.push('c');
    expect(await drain(queue)).toEqual(['b', 'c']);
  });

  it('refuses what comes after end, and ends a waiting reader', async () => {
    const queue = new PushQueue<string>();
    const waiting = queue[Symbol.asyncIterator]().next();
    queue.end();
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(queue.push('late')).toBe(false);
  });

  it('keeps only the latest unread item with keep: latest (terminal sizes)', async () => {
    const queue = new PushQueue<number>({ keep: 'latest' });
    for (const cols of [80, 100, 120]) queue.push(cols);
    expect(await drain(queue)).toEqual([120]);
  });

  it('refuses an item past its bound of unread bytes, and takes more once the reader has read', async () => {
    const queue = new PushQueue<Uint8Array>({ keep: 'all', bound: { max: 4, size: (b) => b.byteLength } });
    expect(queue.push(new Uint8Array(3))).toBe(true);
    expect(queue.push(new Uint8Array(2))).toBe(false);
    const reader = queue[Symbol.asyncIterator]();
    expect((await reader.next()).value).toHaveLength(3);
    expect(queue.push(new Uint8Array(4))).toBe(true);
    // A reader already waiting takes an item whatever its size: nothing is buffered.
    expect((await reader.next()).value).toHaveLength(4);
    const next = reader.next();
    expect(queue.push(new Uint8Array(10))).toBe(true);
    expect((await next).value).toHaveLength(10);
  });

  it('ends when the reader stops reading (a for-await that breaks)', async () => {
    const queue = new PushQueue<string>();
    queue.push('a');
    for await (const item of queue) {
      expect(item).toBe('a');
      break;
    }
    expect(queue.push('b')).toBe(false);
  });
});
