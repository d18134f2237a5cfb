import { randomInt } from 'node:crypto';

/**
 * Crockford's base32 without the letters read as others (0/O, 1/I/L, U/V): a code read off a
 * projector and typed on a phone. 8 characters, 30^8 ≈ 6.6·10^11 codes; joins are rate limited.
 */
export const JOIN_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTWXYZ';
export const JOIN_CODE_PATTERN = /^[23456789ABCDEFGHJKMNPQRSTWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTWXYZ]{4}$/;

export function newJoinCode(): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** What a learner typed, as stored: case, spaces and dashes are not theirs to get right. Undefined when it cannot be a code. */
export function normalizeJoinCode(typed: string): string | undefined {
  const bare = typed.toUpperCase().replace(/[\s-]/g, '');
  const code = `${bare.slice(0, 4)}-${bare.slice(4)}`;
  return JOIN_CODE_PATTERN.test(code) ? code : undefined;
}
