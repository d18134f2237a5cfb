import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Sha256, sha256Hex } from '../../src/engine/sha256.js';

const openssl = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('sha256', () => {
  it("gives FIPS 180-4's answers for its examples", () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('hashes a string as its UTF-8', () => {
    expect(sha256Hex('한국어 레이어')).toBe(openssl(new TextEncoder().encode('한국어 레이어')));
  });

  it('agrees with OpenSSL at every length around the padding boundaries (55, 56, 63, 64, 119, 120…)', () => {
    for (let n = 0; n <= 200; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 31 + n) & 0xff);
      expect(sha256Hex(bytes), `length ${n}`).toBe(openssl(bytes));
    }
  });

  it('agrees with OpenSSL on random bytes fed in random pieces', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1000 }), fc.array(fc.nat({ max: 1000 }), { maxLength: 6 }), (bytes, cuts) => {
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const hash = new Sha256();
        let from = 0;
        for (const p of [...points, bytes.length]) {
          hash.update(bytes.subarray(from, p));
          from = p;
        }
        expect(Buffer.from(hash.digest()).toString('hex')).toBe(openssl(bytes));
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with OpenSSL on a layer-sized input (4 MiB + 7 bytes)', () => {
    const bytes = new Uint8Array(4 * 1024 * 1024 + 7).map((_, i) => (i * 2654435761) >>> 24);
    expect(sha256Hex(bytes)).toBe(openssl(bytes));
  });
});
