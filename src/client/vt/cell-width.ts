/**
 * How many cells a code point takes on a terminal's screen, as wcwidth() gives it (Markus
 * Kuhn's, Unicode 6 — the table xterm.js uses by default, so a line wraps where it would
 * there): 2 for the East Asian wide and fullwidth ranges (Hangul syllables among them, so
 * Korean lines up as on the learner's own terminal), 0 for combining marks, format
 * characters and the Hangul jamo that join a syllable (they join the cell before), 1 otherwise.
 */
const WIDE: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f],
  [0x2329, 0x232a],
  [0x2e80, 0x303e],
  [0x3040, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x20000, 0x2fffd],
  [0x30000, 0x3fffd],
];

/** Nonspacing and enclosing marks, format characters (not the soft hyphen, which wcwidth shows), medial and final jamo. */
const ZERO = /^(?!\u00ad)[\p{Mn}\p{Me}\p{Cf}\u1160-\u11ff]$/u;

export function cellWidth(code: number): 0 | 1 | 2 {
  if (code < 0x300) return code === 0 ? 0 : 1;
  for (const [from, to] of WIDE) if (code >= from && code <= to) return 2;
  return ZERO.test(String.fromCodePoint(code)) ? 0 : 1;
}
