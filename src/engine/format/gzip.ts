import { SLICE_BYTES, yieldToLoop } from '../digest-stream.js';

/**
 * One deterministic gzip (RFC 1951/1952) for the layers the engine pushes: the same tar
 * gives the same bytes on every platform, so the simulator and the sandbox name a pushed
 * layer by the same digest (the platform's CompressionStream differs between Node and
 * browsers). LZ77 over a 32 KiB window with hash chains and one step of lazy matching,
 * coded with the fixed Huffman tables in one final block; the header is Go's with no
 * name and mtime 0 (`1f 8b 08 00 00000000 00 ff`), as moby's pigz-free path writes it.
 * Yields to the event loop every `SLICE_BYTES` of input.
 */
export async function gzip(input: Uint8Array): Promise<Uint8Array> {
  const out = new BitWriter(Math.max(64, input.length >>> 1));
  for (const b of [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]) out.byte(b);
  out.bits(1, 1); // BFINAL
  out.bits(1, 2); // BTYPE 01: fixed Huffman
  await deflateFixed(input, out);
  writeLiteral(out, 256);
  out.flush();
  const crc = crc32(input);
  for (const v of [crc, input.length >>> 0]) for (let i = 0; i < 4; i++) out.byte((v >>> (8 * i)) & 0xff);
  return out.result();
}

const WINDOW = 32 * 1024;
const MIN_MATCH = 3;
const MAX_MATCH = 258;
const HASH_BITS = 15;
const HASH_SIZE = 1 << HASH_BITS;
/** How many earlier positions with the same hash are tried: zlib's level 6 `max_chain`. */
const MAX_CHAIN = 128;
/** A match this long is taken without looking for a better one at the next byte (zlib's `nice_length`). */
const NICE_MATCH = 128;

async function deflateFixed(input: Uint8Array, out: BitWriter): Promise<void> {
  const n = input.length;
  const head = new Int32Array(HASH_SIZE).fill(-1);
  const prev = new Int32Array(WINDOW);
  const hashAt = (i: number) => ((input[i]! << 10) ^ (input[i + 1]! << 5) ^ input[i + 2]!) & (HASH_SIZE - 1);
  const insert = (i: number) => {
    if (i + MIN_MATCH > n) return;
    const h = hashAt(i);
    prev[i & (WINDOW - 1)] = head[h]!;
    head[h] = i;
  };
  const longest = (i: number): { len: number; dist: number } => {
    let best = 0;
    let dist = 0;
    if (i + MIN_MATCH > n) return { len: 0, dist: 0 };
    let cand = head[hashAt(i)]!;
    const limit = Math.min(MAX_MATCH, n - i);
    for (let chain = 0; cand >= 0 && i - cand <= WINDOW && chain < MAX_CHAIN; chain++) {
      if (cand < i && input[cand + best] === input[i + best]) {
        let l = 0;
        while (l < limit && input[cand + l] === input[i + l]) l++;
        if (l > best) {
          best = l;
          dist = i - cand;
          if (l >= limit || l >= NICE_MATCH) break;
        }
      }
      const next = prev[cand & (WINDOW - 1)]!;
      if (next >= cand) break;
      cand = next;
    }
    return best >= MIN_MATCH ? { len: best, dist } : { len: 0, dist: 0 };
  };

  let i = 0;
  let nextYield = SLICE_BYTES;
  while (i < n) {
    if (i >= nextYield) {
      nextYield += SLICE_BYTES;
      await yieldToLoop();
    }
    const m = longest(i);
    insert(i);
    if (m.len === 0) {
      writeLiteral(out, input[i]!);
      i++;
      continue;
    }
    // Lazy matching: a longer match at the next byte wins over this one.
    if (m.len < NICE_MATCH && i + 1 < n) {
      const next = longest(i + 1);
      if (next.len > m.len) {
        writeLiteral(out, input[i]!);
        i++;
        continue;
      }
    }
    writeMatch(out, m.len, m.dist);
    for (let k = 1; k < m.len; k++) insert(i + k);
    i += m.len;
  }
}

const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];

/** RFC 1951 3.2.6: the fixed literal/length code. */
function writeLiteral(out: BitWriter, sym: number): void {
  if (sym < 144) out.huffman(0x30 + sym, 8);
  else if (sym < 256) out.huffman(0x190 + sym - 144, 9);
  else if (sym < 280) out.huffman(sym - 256, 7);
  else out.huffman(0xc0 + sym - 280, 8);
}

function writeMatch(out: BitWriter, len: number, dist: number): void {
  let li = LENGTH_BASE.length - 1;
  while (LENGTH_BASE[li]! > len) li--;
  // 258 has a code of its own (285); 227 + 31 would also say it.
  if (len === 258) li = 28;
  writeLiteral(out, 257 + li);
  if (LENGTH_EXTRA[li]! > 0) out.bits(len - LENGTH_BASE[li]!, LENGTH_EXTRA[li]!);
  let di = DIST_BASE.length - 1;
  while (DIST_BASE[di]! > dist) di--;
  out.huffman(di, 5);
  if (DIST_EXTRA[di]! > 0) out.bits(dist - DIST_BASE[di]!, DIST_EXTRA[di]!);
}

/** Deflate's bit order: values LSB first, Huffman codes MSB first. */
class BitWriter {
  private buf: Uint8Array;
  private pos = 0;
  private acc = 0;
  private count = 0;

  constructor(capacity: number) {
    this.buf = new Uint8Array(capacity);
  }

  byte(b: number): void {
    if (this.pos === this.buf.length) {
      const bigger = new Uint8Array(this.buf.length * 2);
      bigger.set(this.buf);
      this.buf = bigger;
    }
    this.buf[this.pos++] = b;
  }

  bits(value: number, n: number): void {
    this.acc |= value << this.count;
    this.count += n;
    while (this.count >= 8) {
      this.byte(this.acc & 0xff);
      this.acc >>>= 8;
      this.count -= 8;
    }
  }

  huffman(code: number, n: number): void {
    let rev = 0;
    for (let k = 0; k < n; k++) rev |= ((code >>> k) & 1) << (n - 1 - k);
    this.bits(rev, n);
  }

  flush(): void {
    if (this.count > 0) this.byte(this.acc & 0xff);
    this.acc = 0;
    this.count = 0;
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

let CRC_TABLE: Uint32Array | undefined;

/** CRC-32 (IEEE), gzip's trailer. */
export function crc32(bytes: Uint8Array): number {
  if (!CRC_TABLE) {
    CRC_TABLE = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      CRC_TABLE[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
