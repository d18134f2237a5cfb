/**
 * One screen's worth of rows and the cursor on it: the normal screen (with the lines that
 * scrolled off its top) or the alternate one full-screen programs draw on. Plain data; the
 * rules of what a control sequence does to it are screen.ts's.
 */

/** A cell nothing was written to, or that was erased: drawn blank, and not text at a line's end. */
export const EMPTY = '';
/** The right half of a wide character (the character itself is in the cell to its left). */
export const TAIL = '\u0000';

export interface Row {
  chars: string[];
  attrs: number[];
  /** This row continues the one above it: the line was longer than the screen is wide. */
  wrapped: boolean;
}

export function blankRow(cols: number, attr: number): Row {
  return { chars: new Array<string>(cols).fill(EMPTY), attrs: new Array<number>(cols).fill(attr), wrapped: false };
}

/** The row's text as xterm.js's `translateToString(true)` gives it: empty cells at its end dropped, wide tails skipped. */
export function rowText(row: Row): string {
  let end = row.chars.length;
  while (end > 0 && (row.chars[end - 1] === EMPTY || row.chars[end - 1] === TAIL)) end--;
  let text = '';
  for (let i = 0; i < end; i++) {
    const ch = row.chars[i]!;
    if (ch !== TAIL) text += ch === EMPTY ? ' ' : ch;
  }
  return text;
}

export interface SavedCursor {
  x: number;
  y: number;
  attr: number;
  originMode: boolean;
}

export class ScreenBuffer {
  rows: Row[];
  /** The cursor's column: `cols` itself means "past the last column", the next character wraps first. */
  x = 0;
  y = 0;
  /** The scrolling region, rows `top`..`bottom` inclusive. */
  top = 0;
  bottom: number;
  saved: SavedCursor = { x: 0, y: 0, attr: 0, originMode: false };

  constructor(
    public cols: number,
    rowCount: number,
    attr: number,
  ) {
    this.rows = Array.from({ length: rowCount }, () => blankRow(cols, attr));
    this.bottom = rowCount - 1;
    this.saved.attr = attr;
  }
}
