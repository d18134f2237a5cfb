import { InvalidLayer } from '../errors.js';
import { utf8Length } from '../format/utf8.js';

/**
 * One 512-byte tar header block: POSIX ustar, with PAX extended headers for what ustar
 * cannot hold. Field layout and number formats follow POSIX.1-2001 `pax` and Go's
 * archive/tar (which Docker and BuildKit write with): octal, zero-padded, NUL-terminated.
 */
export const BLOCK = 512;

export type TarType = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | 'x' | 'g' | 'L' | 'K' | string;

export interface TarHeader {
  name: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  type: TarType;
  linkname: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// ustar field offsets and lengths (POSIX.1-1988 §10.1.1).
const F = {
  name: [0, 100],
  mode: [100, 8],
  uid: [108, 8],
  gid: [116, 8],
  size: [124, 12],
  mtime: [136, 12],
  chksum: [148, 8],
  type: [156, 1],
  linkname: [157, 100],
  magic: [257, 6],
  version: [263, 2],
  uname: [265, 32],
  gname: [297, 32],
  devmajor: [329, 8],
  devminor: [337, 8],
  prefix: [345, 155],
} as const satisfies Record<string, readonly [number, number]>;

/** The largest value an octal field of `len` bytes holds with its NUL terminator. */
export function octalMax(len: number): number {
  return 8 ** (len - 1) - 1;
}

export function isAscii(s: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /^[\x01-\x7f]*$/.test(s);
}

// Go archive/tar: the header keeps the ASCII characters; the PAX record has the rest.
function toAscii(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[^\x01-\x7f]/g, '');
}

function putString(block: Uint8Array, [off, len]: readonly [number, number], s: string): void {
  const bytes = encoder.encode(s);
  block.set(bytes.subarray(0, len), off);
}

function putOctal(block: Uint8Array, [off, len]: readonly [number, number], n: number): void {
  // Go archive/tar: zero-padded to len-1 digits, then NUL.
  const digits = n > octalMax(len) || n < 0 ? '0' : n.toString(8);
  putString(block, [off, len], digits.padStart(len - 1, '0'));
}

/** Encodes a header block. Values that do not fit must have been moved to PAX records
 * by the caller; what is left in the block is then truncated or zero, as Go writes it. */
export function encodeHeader(h: TarHeader): Uint8Array {
  const block = new Uint8Array(BLOCK);
  putString(block, F.name, toAscii(h.name));
  putOctal(block, F.mode, h.mode);
  putOctal(block, F.uid, h.uid);
  putOctal(block, F.gid, h.gid);
  putOctal(block, F.size, h.size);
  putOctal(block, F.mtime, h.mtime);
  putString(block, F.type, h.type);
  putString(block, F.linkname, toAscii(h.linkname));
  putString(block, F.magic, 'ustar\0');
  putString(block, F.version, '00');
  putOctal(block, F.devmajor, 0);
  putOctal(block, F.devminor, 0);
  // The checksum is computed with its own field as eight spaces, then written as six
  // octal digits, NUL, space (POSIX; Go and GNU tar do the same).
  block.fill(0x20, F.chksum[0], F.chksum[0] + F.chksum[1]);
  let sum = 0;
  for (const b of block) sum += b;
  putString(block, [F.chksum[0], 7], sum.toString(8).padStart(6, '0'));
  block[F.chksum[0] + 7] = 0x20;
  return block;
}

/** A PAX extended header body: `"<len> <key>=<value>\n"` records, keys sorted, where
 * `<len>` counts the whole record including its own digits. */
export function encodePaxRecords(records: ReadonlyMap<string, string>): Uint8Array {
  let out = '';
  for (const key of [...records.keys()].sort()) {
    const body = ` ${key}=${records.get(key)}\n`;
    const bodyLen = utf8Length(body);
    let len = bodyLen + 1;
    while (len !== bodyLen + String(len).length) len = bodyLen + String(len).length;
    out += `${len}${body}`;
  }
  return encoder.encode(out);
}

export function decodePaxRecords(bytes: Uint8Array): Map<string, string> {
  const records = new Map<string, string>();
  let pos = 0;
  while (pos < bytes.length) {
    let sp = pos;
    while (sp < bytes.length && bytes[sp] !== 0x20) sp++;
    const len = Number(decoder.decode(bytes.subarray(pos, sp)));
    if (!Number.isInteger(len) || len <= 0 || pos + len > bytes.length) {
      // Trailing NUL padding ends the records.
      if (bytes.subarray(pos).every((b) => b === 0)) break;
      throw new InvalidLayer('invalid PAX record', { offset: pos });
    }
    const record = decoder.decode(bytes.subarray(sp + 1, pos + len - 1));
    const eq = record.indexOf('=');
    if (eq < 0) throw new InvalidLayer('invalid PAX record', { offset: pos });
    records.set(record.slice(0, eq), record.slice(eq + 1));
    pos += len;
  }
  return records;
}

function getString(block: Uint8Array, [off, len]: readonly [number, number]): string {
  const field = block.subarray(off, off + len);
  const nul = field.indexOf(0);
  return decoder.decode(nul < 0 ? field : field.subarray(0, nul));
}

function getNumber(block: Uint8Array, [off, len]: readonly [number, number]): number {
  const field = block.subarray(off, off + len);
  // GNU base-256: the high bit of the first byte set, big-endian two's complement.
  if ((field[0]! & 0x80) !== 0) {
    let n = field[0]! & 0x7f;
    for (let i = 1; i < field.length; i++) n = n * 256 + field[i]!;
    return n;
  }
  const text = decoder
    .decode(field)
    .replace(/[\0 ]+$/, '')
    .replace(/^[\0 ]+/, '');
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new InvalidLayer('invalid number in tar header', { field: text });
  return parseInt(text, 8);
}

export function isZeroBlock(block: Uint8Array): boolean {
  return block.every((b) => b === 0);
}

/** Decodes a header block, verifying its checksum. ustar's `prefix` is joined to the
 * name; GNU's old magic uses that space for times, so it is ignored there. */
export function decodeHeader(block: Uint8Array, offset: number): TarHeader {
  const stored = getNumber(block, F.chksum);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= F.chksum[0] && i < F.chksum[0] + F.chksum[1] ? 0x20 : block[i]!;
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  if (stored !== unsigned && stored !== signed) throw new InvalidLayer('tar header checksum mismatch', { offset });
  const magic = decoder.decode(block.subarray(F.magic[0], F.magic[0] + 8));
  let name = getString(block, F.name);
  if (magic.startsWith('ustar\0')) {
    const prefix = getString(block, F.prefix);
    if (prefix !== '') name = `${prefix}/${name}`;
  }
  const type = String.fromCharCode(block[F.type[0]]!);
  return {
    name,
    mode: getNumber(block, F.mode) & 0o7777,
    uid: getNumber(block, F.uid),
    gid: getNumber(block, F.gid),
    size: getNumber(block, F.size),
    mtime: getNumber(block, F.mtime),
    // POSIX: a NUL type flag is an old-style regular file.
    type: type === '\0' ? '0' : type,
    linkname: getString(block, F.linkname),
  };
}
