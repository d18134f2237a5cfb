import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 128 random bits, hex: unguessable, and safe in a URL path and a log line. */
export function newSessionId(): string {
  return randomBytes(16).toString('hex');
}

export const SESSION_ID_PATTERN = /^[0-9a-f]{32}$/;

/** 256 random bits, base64url: a valid bearer token and WebSocket subprotocol token. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Only the token's hash is kept, so a heap dump or a log of the registry holds no usable token. */
export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** Compares in constant time: hashing first makes both sides the same length whatever was sent. */
export function tokenMatches(expectedHash: Buffer, given: string): boolean {
  return timingSafeEqual(expectedHash, hashToken(given));
}
