import { sha256Hex } from './sha256.js';

/** A content address in the OCI form `sha256:<64 hex>`. */
export type Digest = `sha256:${string}` & { readonly __brand: 'Digest' };

/** sha256 of bytes (or of a string's UTF-8), as an OCI digest. Synchronous so the
 * simulator can hash a layer on the hot path without awaiting WebCrypto. */
export function sha256(data: Uint8Array | string): Digest {
  return `sha256:${sha256Hex(data)}` as Digest;
}

const DIGEST_RE = /^sha256:[0-9a-f]{64}$/;

export function isDigest(value: string): value is Digest {
  return DIGEST_RE.test(value);
}

export function asDigest(value: string): Digest {
  if (!isDigest(value)) throw new TypeError(`invalid digest: ${value}`);
  return value;
}

/** The hex part of a digest. */
export function hex(d: Digest): string {
  return d.slice('sha256:'.length);
}

/** Docker's short ID: the first 12 hex characters. */
export function shortId(d: Digest | string): string {
  return (d.startsWith('sha256:') ? d.slice(7) : d).slice(0, 12);
}

/** OCI image spec: ChainID(L0) = DiffID(L0); ChainID(L0..n) = sha256(ChainID(L0..n-1) + " " + DiffID(Ln)). */
export function chainIds(diffIds: readonly Digest[]): Digest[] {
  const out: Digest[] = [];
  for (const diffId of diffIds) {
    const parent = out[out.length - 1];
    out.push(parent === undefined ? diffId : sha256(`${parent} ${diffId}`));
  }
  return out;
}
