import { SLICE_BYTES } from '../digest-stream.js';
import type { BlobRange } from './content-store.js';
import type { WorkspaceReader } from './workspace.js';

/** A file held in memory as a `WorkspaceReader`: its chunks are views of it, `SLICE_BYTES` at most. */
export function bytesReader(bytes: Uint8Array): WorkspaceReader {
  return { size: bytes.length, chunks: (range) => byteChunks(bytes, range) };
}

async function* byteChunks(bytes: Uint8Array, range?: BlobRange): AsyncGenerator<Uint8Array> {
  const start = Math.min(bytes.length, range?.offset ?? 0);
  const end = range ? Math.min(bytes.length, start + range.length) : bytes.length;
  for (let off = start; off < end; off += SLICE_BYTES) yield bytes.subarray(off, Math.min(end, off + SLICE_BYTES));
}
