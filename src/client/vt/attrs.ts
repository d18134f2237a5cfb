/**
 * A cell's look, packed in one number so a row is two flat arrays: the foreground in bits
 * 0–8 and the background in bits 9–17 (a 256-colour palette index, or DEFAULT), then the
 * flags. A 24-bit colour (`38;2;r;g;b`) is kept as the nearest palette colour: the
 * programs of a busybox container never ask for one, and a cell stays one number.
 */
export const DEFAULT = 256;
export const BOLD = 1 << 18;
export const DIM = 1 << 19;
export const ITALIC = 1 << 20;
export const UNDERLINE = 1 << 21;
export const BLINK = 1 << 22;
export const INVERSE = 1 << 23;
export const HIDDEN = 1 << 24;
export const STRIKE = 1 << 25;

const FG_MASK = 0x1ff;
const BG_MASK = 0x1ff << 9;

export const PLAIN = DEFAULT | (DEFAULT << 9);

export const fgOf = (attr: number): number => attr & FG_MASK;
export const bgOf = (attr: number): number => (attr & BG_MASK) >> 9;
export const withFg = (attr: number, fg: number): number => (attr & ~FG_MASK) | fg;
export const withBg = (attr: number, bg: number): number => (attr & ~BG_MASK) | (bg << 9);

/** What an erase leaves behind: the current background (as xterm does: "background colour erase"), nothing else. */
export const eraseAttr = (attr: number): number => DEFAULT | (attr & BG_MASK);

/** The palette index nearest to an RGB colour: the 6×6×6 cube of the 256-colour palette. */
export function nearestPalette(r: number, g: number, b: number): number {
  const step = (v: number) => (v < 48 ? 0 : v < 115 ? 1 : Math.min(5, Math.floor((v - 35) / 40)));
  return 16 + 36 * step(r) + 6 * step(g) + step(b);
}

/**
 * Applies one `CSI … m` (SGR) to an attribute. `params` are the sequence's numbers
 * (an omitted one is 0); returns the new attribute.
 */
export function applySgr(attr: number, params: readonly number[]): number {
  if (params.length === 0) return PLAIN;
  for (let i = 0; i < params.length; i++) {
    const p = params[i]!;
    if (p === 0) attr = PLAIN;
    else if (p === 1) attr |= BOLD;
    else if (p === 2) attr |= DIM;
    else if (p === 3) attr |= ITALIC;
    else if (p === 4 || p === 21) attr |= UNDERLINE;
    else if (p === 5 || p === 6) attr |= BLINK;
    else if (p === 7) attr |= INVERSE;
    else if (p === 8) attr |= HIDDEN;
    else if (p === 9) attr |= STRIKE;
    else if (p === 22) attr &= ~(BOLD | DIM);
    else if (p === 23) attr &= ~ITALIC;
    else if (p === 24) attr &= ~UNDERLINE;
    else if (p === 25) attr &= ~BLINK;
    else if (p === 27) attr &= ~INVERSE;
    else if (p === 28) attr &= ~HIDDEN;
    else if (p === 29) attr &= ~STRIKE;
    else if (p >= 30 && p <= 37) attr = withFg(attr, p - 30);
    else if (p === 39) attr = withFg(attr, DEFAULT);
    else if (p >= 40 && p <= 47) attr = withBg(attr, p - 40);
    else if (p === 49) attr = withBg(attr, DEFAULT);
    else if (p >= 90 && p <= 97) attr = withFg(attr, p - 90 + 8);
    else if (p >= 100 && p <= 107) attr = withBg(attr, p - 100 + 8);
    else if (p === 38 || p === 48) {
      const set = p === 38 ? withFg : withBg;
      if (params[i + 1] === 5 && i + 2 < params.length) {
        attr = set(attr, params[i + 2]! & 0xff);
        i += 2;
      } else if (params[i + 1] === 2 && i + 4 < params.length) {
        attr = set(attr, nearestPalette(params[i + 2]!, params[i + 3]!, params[i + 4]!));
        i += 4;
      } else break;
    }
  }
  return attr;
}
