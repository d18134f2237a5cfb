import { lazy } from './lazy.js';

/**
 * SHA-256 (FIPS 180-4), incremental, in plain TypeScript: the engine names every layer, config
 * and blob by it, synchronously (WebCrypto's is async and absent outside secure contexts), on
 * every platform. Our own rather than a library's: the embed carries it in its first bytes, and
 * this is a third of the size of the one it replaced (issue 15's budget).
 * Checked against Node's OpenSSL on random inputs cut at random points (test/engine/sha256.test.ts).
 */

const primes = (count: number): number[] => {
  const out: number[] = [];
  for (let n = 2; out.length < count; n++) if (out.every((p) => n % p !== 0)) out.push(n);
  return out;
};
/** The first 32 bits of a root's fractional part: how FIPS 180-4 defines both tables (4.2.2, 5.3.3). */
const fraction32 = (root: number) => ((root - Math.floor(root)) * 2 ** 32) | 0;
const K = new Int32Array(64);
let H0: Int32Array | undefined;
/**
 * A hash's first state, with both tables made the first time one starts (K filled then): a page whose start hashes
 * nothing does not pay for them as the module loads (~5 ms at 4× CPU throttling, issue 15's start). K stays a module
 * constant filled in place, not a `lazy()` value read per block: that read made hashing 32 MiB 6 % slower.
 */
function initialState(): Int32Array {
  if (!H0) {
    const first = primes(64);
    first.forEach((p, i) => (K[i] = fraction32(Math.cbrt(p))));
    H0 = Int32Array.from(first.slice(0, 8), (p) => fraction32(Math.sqrt(p)));
  }
  return H0.slice();
}
/** The message schedule, scratch for one block at a time (compress never yields): one for all hashes. */
const w = new Int32Array(64);

export class Sha256 {
  private readonly state = initialState();
  private readonly buffer = new Uint8Array(64);
  private buffered = 0;
  private length = 0;

  update(data: Uint8Array): this {
    let at = 0;
    this.length += data.length;
    if (this.buffered > 0) {
      at = Math.min(64 - this.buffered, data.length);
      this.buffer.set(data.subarray(0, at), this.buffered);
      this.buffered += at;
      if (this.buffered < 64) return this;
      this.compress(this.buffer, 0);
      this.buffered = 0;
    }
    for (; at + 64 <= data.length; at += 64) this.compress(data, at);
    this.buffer.set(data.subarray(at), 0);
    this.buffered = data.length - at;
    return this;
  }

  /** The hash of everything given so far; the hash is spent after it. */
  digest(): Uint8Array {
    const bits = this.length * 8;
    // 0x80, zeros up to 56 mod 64, then the length in bits, big-endian in 64 bits.
    const tail = new Uint8Array((this.buffered < 56 ? 64 : 128) - this.buffered);
    tail[0] = 0x80;
    const view = new DataView(tail.buffer);
    view.setUint32(tail.length - 8, Math.floor(bits / 2 ** 32));
    view.setUint32(tail.length - 4, bits >>> 0);
    this.update(tail);
    const out = new Uint8Array(32);
    const outView = new DataView(out.buffer);
    this.state.forEach((word, i) => outView.setInt32(i * 4, word));
    return out;
  }

  private compress(block: Uint8Array, at: number): void {
    for (let i = 0; i < 16; i++, at += 4) w[i] = (block[at]! << 24) | (block[at + 1]! << 16) | (block[at + 2]! << 8) | block[at + 3]!;
    for (let i = 16; i < 64; i++) {
      const a = w[i - 15]!;
      const b = w[i - 2]!;
      const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
      const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
      w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
    }
    const s = this.state;
    let a = s[0]!,
      b = s[1]!,
      c = s[2]!,
      d = s[3]!,
      e = s[4]!,
      f = s[5]!,
      g = s[6]!,
      h = s[7]!;
    for (let i = 0; i < 64; i++) {
      const t1 = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) | 0;
      const t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    s[0] = (s[0]! + a) | 0;
    s[1] = (s[1]! + b) | 0;
    s[2] = (s[2]! + c) | 0;
    s[3] = (s[3]! + d) | 0;
    s[4] = (s[4]! + e) | 0;
    s[5] = (s[5]! + f) | 0;
    s[6] = (s[6]! + g) | 0;
    s[7] = (s[7]! + h) | 0;
  }
}

const hexDigits = lazy(() => Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0')));

export function toHex(bytes: Uint8Array): string {
  const hex = hexDigits();
  let out = '';
  for (const b of bytes) out += hex[b];
  return out;
}

const utf8 = new TextEncoder();

/** The hex sha256 of bytes, or of a string's UTF-8. */
export function sha256Hex(data: Uint8Array | string): string {
  return toHex(new Sha256().update(typeof data === 'string' ? utf8.encode(data) : data).digest());
}
