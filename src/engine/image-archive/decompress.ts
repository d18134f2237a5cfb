import { bytesSize } from '../format/size.js';
import { DecompressedTooLarge } from './archive-errors.js';

/**
 * gzip through the platform's DecompressionStream (browsers and Node 18+), refused as
 * soon as the output passes `maxBytes`. A first pass only counts, so a small gzip bomb is
 * refused having held one chunk at a time, never the gigabytes it holds; the bytes are
 * kept on a second pass, once they are known to fit.
 */
export async function gunzip(bytes: Uint8Array, { maxBytes }: { maxBytes: number }): Promise<Uint8Array> {
  let total = 0;
  for await (const chunk of gunzipChunks([bytes], { maxBytes })) total += chunk.length;
  const out = new Uint8Array(total);
  let off = 0;
  for await (const chunk of gunzipChunks([bytes], { maxBytes: total })) {
    out.set(chunk, off);
    off += chunk.length;
  }
  return out;
}

/**
 * gzip inflated as it streams (`docker load` of a layer): the compressed chunks are pulled
 * as the inflated ones are taken, so a layer of any size passes holding a chunk or two, and
 * the output is refused (`DECOMPRESSED_TOO_LARGE`) as soon as it passes `maxBytes`.
 */
export async function* gunzipChunks(
  chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  { maxBytes }: { maxBytes: number },
): AsyncGenerator<Uint8Array> {
  const source = (Symbol.asyncIterator in chunks ? chunks[Symbol.asyncIterator]() : chunks[Symbol.iterator]()) as
    AsyncIterator<Uint8Array> | Iterator<Uint8Array>;
  // A pull source, not ReadableStream.from (not in every browser): one chunk asked for at a time.
  const input = new ReadableStream<BufferSource>(
    {
      async pull(controller) {
        const next = await source.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value as Uint8Array<ArrayBuffer>);
      },
      async cancel() {
        await source.return?.();
      },
    },
    { highWaterMark: 0 },
  );
  const reader = input.pipeThrough(new DecompressionStream('gzip')).getReader();
  let total = 0;
  let done = false;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) {
        done = true;
        return;
      }
      total += next.value.length;
      if (total > maxBytes)
        throw new DecompressedTooLarge(`decompressed data is larger than this sandbox allows (${bytesSize(maxBytes)})`, { maxBytes });
      yield next.value;
    }
  } finally {
    if (!done) await reader.cancel().catch(() => undefined);
  }
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export function isZstd(bytes: Uint8Array): boolean {
  return bytes[0] === 0x28 && bytes[1] === 0xb5 && bytes[2] === 0x2f && bytes[3] === 0xfd;
}
