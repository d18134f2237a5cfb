import { bytesSize } from '../format/size.js';
import { DecompressedTooLarge } from './archive-errors.js';

/**
 * gzip through the platform's DecompressionStream (browsers and Node 18+), refused as
 * soon as the output passes `maxBytes`. A first pass only counts, so a small gzip bomb is
 * refused having held one chunk at a time, never the gigabytes it holds; the bytes are
 * kept on a second pass, once they are known to fit.
 */
export async function gunzip(bytes: Uint8Array, { maxBytes }: { maxBytes: number }): Promise<Uint8Array> {
  const total = await inflate(bytes, maxBytes, () => undefined);
  const out = new Uint8Array(total);
  let off = 0;
  await inflate(bytes, total, (chunk) => {
    out.set(chunk, off);
    off += chunk.length;
  });
  return out;
}

/** Streams the inflated bytes to `each`; their count. */
async function inflate(bytes: Uint8Array, maxBytes: number, each: (chunk: Uint8Array) => void): Promise<number> {
  const reader = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip')).getReader();
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return total;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new DecompressedTooLarge(`decompressed data is larger than this sandbox allows (${bytesSize(maxBytes)})`, { maxBytes });
    }
    each(value);
  }
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export function isZstd(bytes: Uint8Array): boolean {
  return bytes[0] === 0x28 && bytes[1] === 0xb5 && bytes[2] === 0x2f && bytes[3] === 0xfd;
}
