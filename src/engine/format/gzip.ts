import { SLICE_BYTES, yieldToLoop } from '../digest-stream.js';

/**
 * One deterministic gzip (RFC 1951/1952) for the layers the engine pushes: the same tar
 * gives the same bytes on every platform, so the simulator and the sandbox name a pushed
 * layer by the same digest (the platform's CompressionStream differs between Node and
 * browsers). LZ77 over a 32 KiB window with hash chains and one step of lazy matching,
 * coded in blocks of dynamic Huffman codes (RFC 1951 3.2.7; each block's lengths built from
 * its own symbol counts, halved until no code passes 15 bits, ties broken by symbol, so
 * the codes are a function of the input alone); the header is Go's with no name and mtime 0
 * (`1f 8b 08 00 00000000 00 ff`), as moby's pigz-free path writes it.
 * Yields to the event loop every `SLICE_BYTES` of input.
 */
export async function gzip(input: Uint8Array): Promise<Uint8Array> {
  const out = new BitWriter(Math.max(64, input.length >>> 1));
  for (const b of [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]) out.byte(b);
  await deflate(input, out);
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

async function deflate(input: Uint8Array, out: BitWriter): Promise<void> {
  const block = new Block();
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
    if (block.full()) block.write(out, false);
    if (i >= nextYield) {
      nextYield += SLICE_BYTES;
      await yieldToLoop();
    }
    const m = longest(i);
    insert(i);
    if (m.len === 0) {
      block.literal(input[i]!);
      i++;
      continue;
    }
    // Lazy matching: a longer match at the next byte wins over this one.
    if (m.len < NICE_MATCH && i + 1 < n) {
      const next = longest(i + 1);
      if (next.len > m.len) {
        block.literal(input[i]!);
        i++;
        continue;
      }
    }
    block.match(m.len, m.dist);
    for (let k = 1; k < m.len; k++) insert(i + k);
    i += m.len;
  }
  block.write(out, true);
}

const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];

const LENGTH_CODE = new Uint8Array(259);
for (let len = 3; len <= 258; len++) {
  let li = LENGTH_BASE.length - 1;
  while (LENGTH_BASE[li]! > len) li--;
  LENGTH_CODE[len] = li;
}
// 258 has a code of its own (285); 227 + 31 would also say it.
LENGTH_CODE[258] = 28;

function distCode(dist: number): number {
  let di = DIST_BASE.length - 1;
  while (DIST_BASE[di]! > dist) di--;
  return di;
}

/** The order the code-length code's lengths are sent in (RFC 1951 3.2.7). */
const CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
/** Symbols per block: codes fitted to a stretch of the input, as zlib's blocks are. */
const BLOCK_TOKENS = 1 << 15;

/** One block's LZ77 output, then written with the Huffman codes its own counts give. */
class Block {
  private readonly lens = new Uint16Array(BLOCK_TOKENS);
  private readonly dists = new Uint16Array(BLOCK_TOKENS);
  private n = 0;

  literal(byte: number): void {
    this.lens[this.n] = byte;
    this.dists[this.n++] = 0;
  }

  match(len: number, dist: number): void {
    this.lens[this.n] = len;
    this.dists[this.n++] = dist;
  }

  full(): boolean {
    return this.n >= BLOCK_TOKENS;
  }

  write(out: BitWriter, last: boolean): void {
    const litFreq = new Array<number>(286).fill(0);
    const distFreq = new Array<number>(30).fill(0);
    for (let k = 0; k < this.n; k++) {
      if (this.dists[k] === 0) litFreq[this.lens[k]!]!++;
      else {
        litFreq[257 + LENGTH_CODE[this.lens[k]!]!]!++;
        distFreq[distCode(this.dists[k]!)]!++;
      }
    }
    litFreq[256] = 1;
    const litLens = codeLengths(litFreq, 15);
    const distLens = codeLengths(distFreq, 15);
    let hlit = 286;
    while (hlit > 257 && litLens[hlit - 1] === 0) hlit--;
    let hdist = 30;
    while (hdist > 1 && distLens[hdist - 1] === 0) hdist--;

    // The lengths, run-length coded with 16 (repeat the last 3-6×), 17 (3-10 zeros), 18 (11-138 zeros).
    const seq = [...litLens.subarray(0, hlit), ...distLens.subarray(0, hdist)];
    const rle: [number, number][] = [];
    for (let k = 0; k < seq.length;) {
      const v = seq[k]!;
      let run = 1;
      while (k + run < seq.length && seq[k + run] === v) run++;
      if (v === 0 && run >= 3) {
        const r = Math.min(run, 138);
        rle.push(r >= 11 ? [18, r - 11] : [17, r - 3]);
        k += r;
      } else if (v !== 0 && run >= 4) {
        rle.push([v, 0]);
        const r = Math.min(run - 1, 6);
        rle.push([16, r - 3]);
        k += 1 + r;
      } else {
        rle.push([v, 0]);
        k++;
      }
    }
    const clFreq = new Array<number>(19).fill(0);
    for (const [sym] of rle) clFreq[sym]!++;
    const clLens = codeLengths(clFreq, 7);
    let hclen = 19;
    while (hclen > 4 && clLens[CL_ORDER[hclen - 1]!] === 0) hclen--;

    out.bits(last ? 1 : 0, 1);
    out.bits(2, 2); // BTYPE 10: dynamic Huffman
    out.bits(hlit - 257, 5);
    out.bits(hdist - 1, 5);
    out.bits(hclen - 4, 4);
    for (let k = 0; k < hclen; k++) out.bits(clLens[CL_ORDER[k]!]!, 3);
    const clCodes = canonicalCodes(clLens);
    for (const [sym, extra] of rle) {
      out.bits(clCodes[sym]!, clLens[sym]!);
      if (sym === 16) out.bits(extra, 2);
      else if (sym === 17) out.bits(extra, 3);
      else if (sym === 18) out.bits(extra, 7);
    }
    const litCodes = canonicalCodes(litLens);
    const distCodes = canonicalCodes(distLens);
    for (let k = 0; k < this.n; k++) {
      const dist = this.dists[k]!;
      if (dist === 0) {
        const b = this.lens[k]!;
        out.bits(litCodes[b]!, litLens[b]!);
        continue;
      }
      const len = this.lens[k]!;
      const li = LENGTH_CODE[len]!;
      out.bits(litCodes[257 + li]!, litLens[257 + li]!);
      if (LENGTH_EXTRA[li]! > 0) out.bits(len - LENGTH_BASE[li]!, LENGTH_EXTRA[li]!);
      const di = distCode(dist);
      out.bits(distCodes[di]!, distLens[di]!);
      if (DIST_EXTRA[di]! > 0) out.bits(dist - DIST_BASE[di]!, DIST_EXTRA[di]!);
    }
    out.bits(litCodes[256]!, litLens[256]!);
    this.n = 0;
  }
}

/**
 * Huffman code lengths for symbol counts, at most `limit` bits: a tree built by the two-queue
 * method over the counts sorted with the symbol as tie-break (so the same counts give the
 * same lengths everywhere); past the limit the counts are halved (kept above 0) and the tree
 * is built again. Fewer than two symbols in use get a second one, so every code is complete.
 */
function codeLengths(counts: readonly number[], limit: number): Uint8Array {
  const f = counts.slice();
  let used = f.filter((c) => c > 0).length;
  for (let sym = 0; used < 2; sym++) {
    if (f[sym] === 0) {
      f[sym] = 1;
      used++;
    }
  }
  for (;;) {
    const syms = f.map((c, sym) => [c, sym] as const).filter(([c]) => c > 0);
    syms.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const n = syms.length;
    const weight: number[] = syms.map(([c]) => c);
    const parent = new Array<number>(2 * n - 1).fill(-1);
    let leaf = 0;
    let inner = n;
    const take = () => (leaf < n && (inner >= weight.length || weight[leaf]! <= weight[inner]!) ? leaf++ : inner++);
    while (weight.length < 2 * n - 1) {
      const a = take();
      const b = take();
      parent[a] = parent[b] = weight.length;
      weight.push(weight[a]! + weight[b]!);
    }
    const depth = new Array<number>(2 * n - 1).fill(0);
    for (let k = 2 * n - 3; k >= 0; k--) depth[k] = depth[parent[k]!]! + 1;
    const lengths = new Uint8Array(counts.length);
    let max = 0;
    for (let k = 0; k < n; k++) {
      lengths[syms[k]![1]] = depth[k]!;
      max = Math.max(max, depth[k]!);
    }
    if (max <= limit) return lengths;
    for (let sym = 0; sym < f.length; sym++) if (f[sym]! > 0) f[sym] = (f[sym]! >> 1) | 1;
  }
}

/** RFC 1951 3.2.2: canonical codes from lengths, bit-reversed for deflate's LSB-first stream. */
function canonicalCodes(lengths: Uint8Array): Uint16Array {
  const blCount = new Array<number>(16).fill(0);
  for (const l of lengths) if (l > 0) blCount[l]!++;
  const next = new Array<number>(16).fill(0);
  let code = 0;
  for (let bits = 1; bits <= 15; bits++) {
    code = (code + blCount[bits - 1]!) << 1;
    next[bits] = code;
  }
  const codes = new Uint16Array(lengths.length);
  for (let sym = 0; sym < lengths.length; sym++) {
    const l = lengths[sym]!;
    if (l === 0) continue;
    const c = next[l]!++;
    let rev = 0;
    for (let k = 0; k < l; k++) rev |= ((c >>> k) & 1) << (l - 1 - k);
    codes[sym] = rev;
  }
  return codes;
}

/** Deflate's bit order: values LSB first (Huffman codes come bit-reversed from `canonicalCodes`). */
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
