import type { FileHandle } from 'node:fs/promises';
import { SLICE_BYTES } from '../../src/engine/digest-stream.js';

/**
 * A file's bytes (or `length` of them from `offset`) as chunks of at most `SLICE_BYTES`, each a fresh buffer (the consumer may
 * keep it): a blob of any size is read holding one chunk at a time. The handle is the
 * caller's, opened and closed by it.
 */
export async function* readChunks(file: FileHandle, range?: { offset: number; length: number }): AsyncGenerator<Uint8Array> {
  let position = range?.offset ?? 0;
  let left = range?.length ?? Infinity;
  while (left > 0) {
    const buf = new Uint8Array(Math.min(SLICE_BYTES, left));
    const { bytesRead } = await file.read(buf, 0, buf.length, position);
    if (bytesRead === 0) return;
    position += bytesRead;
    left -= bytesRead;
    yield bytesRead === buf.length ? buf : buf.subarray(0, bytesRead);
  }
}

/**
 * Writes chunks to a file, small pieces gathered into writes of about `SLICE_BYTES` (an
 * archive or a layer is many 512-byte headers), a large piece written as it is, never
 * copied into a bigger buffer. Returns the bytes written.
 */
export async function writeChunks(file: FileHandle, chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<number> {
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let written = 0;
  const flush = async () => {
    if (pendingBytes === 0) return;
    await writeAll(file, pending.length === 1 ? pending[0]! : Buffer.concat(pending));
    written += pendingBytes;
    pending = [];
    pendingBytes = 0;
  };
  for await (const c of chunks) {
    if (c.length >= SLICE_BYTES) {
      await flush();
      await writeAll(file, c);
      written += c.length;
      continue;
    }
    pending.push(c);
    pendingBytes += c.length;
    if (pendingBytes >= SLICE_BYTES) await flush();
  }
  await flush();
  return written;
}

/** write(2) may write less than asked — a disk filling up writes what fits, and only the
 * next call fails with ENOSPC — so a write goes on until every byte is out. */
async function writeAll(file: FileHandle, bytes: Uint8Array): Promise<void> {
  for (let off = 0; off < bytes.length;) {
    const { bytesWritten } = await file.write(bytes, off, bytes.length - off);
    off += bytesWritten;
  }
}
