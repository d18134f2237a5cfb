import { applySgr, eraseAttr, PLAIN } from './attrs.js';
import { cellWidth } from './cell-width.js';
import type { VtHandler } from './parser.js';
import { blankRow, EMPTY, rowText, ScreenBuffer, TAIL, type Row } from './screen-buffer.js';

/**
 * What a terminal's screen holds after a program's output: the rules of the VT100 and
 * xterm control functions that busybox's shell, `vi`, `top` and `less` use (cursor
 * addressing, erasing, scrolling regions, inserting and deleting, the alternate screen,
 * colours), as xterm.js carries them out — test/client/vt-screen.oracle.test.ts feeds the
 * same streams to both and compares. No DOM here: `render.ts` draws it.
 */
export class Screen implements VtHandler {
  cols: number;
  rowCount: number;
  attr = PLAIN;
  readonly normal: ScreenBuffer;
  private alt: ScreenBuffer;
  active: ScreenBuffer;
  /** Lines that scrolled off the normal screen's top, oldest first, at most `maxScrollback`. */
  readonly scrollback: Row[] = [];
  autowrap = true;
  insertMode = false;
  originMode = false;
  appCursor = false;
  cursorVisible = true;
  bracketedPaste = false;
  private tabs = new Set<number>();
  /** Rows drawn differently since the renderer last looked; `scrolled` counts lines pushed into the scrollback. */
  dirty = new Set<number>();
  /** Every row to redraw (the screen scrolled): a flood of output does not mark each row once per line. */
  allDirty = false;
  scrolled = 0;
  scrollbackCleared = false;

  constructor(
    cols: number,
    rows: number,
    private readonly maxScrollback: number,
    /** An answer the terminal sends back to the program (a cursor-position report, its device attributes). */
    private readonly reply: (data: string) => void = () => {},
  ) {
    this.cols = cols;
    this.rowCount = rows;
    this.normal = new ScreenBuffer(cols, rows, PLAIN);
    this.alt = new ScreenBuffer(cols, rows, PLAIN);
    this.active = this.normal;
    this.resetTabs();
  }

  get isAlt(): boolean {
    return this.active === this.alt;
  }

  get x(): number {
    return this.active.x;
  }

  get y(): number {
    return this.active.y;
  }

  /** The normal screen as text, the scrollback first; a wrapped row is joined to the line it continues. */
  text(): string {
    const lines: string[] = [];
    for (const row of [...this.scrollback, ...this.normal.rows]) {
      if (row.wrapped && lines.length) lines[lines.length - 1] += rowText(row);
      else lines.push(rowText(row));
    }
    while (lines.length && lines.at(-1) === '') lines.pop();
    return lines.length ? `${lines.join('\n')}\n` : '';
  }

  // --- text ---

  print(text: string): void {
    const b = this.active;
    this.dirty.add(b.y);
    for (let i = 0; i < text.length; i++) {
      let code = text.charCodeAt(i);
      let ch: string;
      if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
        code = text.codePointAt(i)!;
        ch = text.slice(i, i + 2);
        i++;
      } else ch = text[i]!;
      const width = code < 0x300 ? 1 : cellWidth(code);
      if (width === 0) {
        this.combine(ch);
        continue;
      }
      if (b.x + width - 1 >= this.cols) {
        if (this.autowrap) {
          const row = b.rows[b.y]!;
          for (let x = b.x; x < this.cols; x++) this.put(row, x, EMPTY);
          b.x = 0;
          this.index();
          b.rows[b.y]!.wrapped = true;
          this.dirty.add(b.y);
        } else {
          b.x = this.cols - 1;
          if (width === 2) continue;
        }
      }
      const row = b.rows[b.y]!;
      if (this.insertMode) this.shiftRight(row, b.x, width);
      this.put(row, b.x, ch);
      if (width === 2) this.put(row, b.x + 1, TAIL);
      b.x += width;
    }
  }

  /** Writes one cell, blanking the other half of a wide character it breaks. */
  private put(row: Row, x: number, ch: string): void {
    if (row.chars[x] === TAIL && ch !== TAIL && x > 0) row.chars[x - 1] = EMPTY;
    if (x + 1 < row.chars.length && row.chars[x + 1] === TAIL) row.chars[x + 1] = EMPTY;
    row.chars[x] = ch;
    row.attrs[x] = this.attr;
  }

  /** A zero-width character (a combining mark) joins the character before the cursor. */
  private combine(ch: string): void {
    const b = this.active;
    const row = b.rows[b.y]!;
    let x = Math.min(b.x, this.cols) - 1;
    if (x >= 0 && row.chars[x] === TAIL) x--;
    if (x < 0 || row.chars[x] === EMPTY) return;
    row.chars[x] += ch;
    this.dirty.add(b.y);
  }

  private shiftRight(row: Row, x: number, n: number): void {
    const fill = eraseAttr(this.attr);
    // Cells inserted between a wide character's halves split it: neither half stays.
    if (x > 0 && row.chars[x] === TAIL) row.chars[x - 1] = row.chars[x] = EMPTY;
    row.chars.splice(x, 0, ...new Array<string>(n).fill(EMPTY));
    row.attrs.splice(x, 0, ...new Array<number>(n).fill(fill));
    row.chars.length = this.cols;
    row.attrs.length = this.cols;
    // A wide character pushed half off the right edge leaves no half behind.
    const last = row.chars[this.cols - 1]!;
    if (last !== TAIL && last !== EMPTY && cellWidth(last.codePointAt(0)!) === 2) row.chars[this.cols - 1] = EMPTY;
  }

  // --- controls ---

  execute(code: number): void {
    const b = this.active;
    switch (code) {
      case 0x08: // BS
        this.restrict();
        if (b.x > 0) b.x--;
        return;
      case 0x09: // HT: waiting to wrap, it stays
        if (b.x < this.cols) b.x = this.nextTab(b.x);
        return;
      case 0x0a: // LF, VT, FF
      case 0x0b:
      case 0x0c:
        if (b.x >= this.cols) b.x--;
        // The row a line feed moves down to starts a line of its own (a row scrolled in is new anyway).
        if (b.y !== b.bottom && b.y < this.rowCount - 1) b.rows[b.y + 1]!.wrapped = false;
        this.index();
        return;
      case 0x0d: // CR
        b.x = 0;
        return;
    }
  }

  esc(final: string, intermediates: string): void {
    if (intermediates !== '') return; // charsets (`ESC ( B`), DECALN: nothing a busybox program needs
    const b = this.active;
    switch (final) {
      case '7':
        return this.saveCursor();
      case '8':
        return this.restoreCursor();
      case 'D':
        if (b.x >= this.cols) b.x--;
        return this.index();
      case 'E':
        b.x = 0;
        return this.index();
      case 'M':
        return this.reverseIndex();
      case 'H':
        this.tabs.add(Math.min(b.x, this.cols - 1));
        return;
      case 'c':
        return this.fullReset();
    }
  }

  csi(final: string, params: number[], prefix: string, intermediates: string): void {
    const p0 = params[0] ?? 0;
    const n = Math.max(1, p0);
    const b = this.active;
    if (intermediates !== '') {
      if (intermediates === '!' && final === 'p') this.softReset();
      return;
    }
    if (prefix === '?') {
      if (final === 'h' || final === 'l') for (const mode of params) this.privateMode(mode, final === 'h');
      return;
    }
    if (prefix !== '') {
      if (prefix === '>' && final === 'c') this.reply('\x1b[>0;276;0c');
      return;
    }
    switch (final) {
      case '@':
        this.restrict();
        return this.insertChars(n);
      case 'A':
        return this.moveVertical(-n);
      case 'B':
        return this.moveVertical(n);
      case 'e':
        this.restrict();
        return this.setCursor(b.x, b.y + n);
      case 'C':
      case 'a':
        this.restrict();
        return this.setCursor(b.x + n, b.y);
      case 'D':
        this.restrict();
        return this.setCursor(b.x - n, b.y);
      case 'E':
        this.moveVertical(n);
        b.x = 0;
        return;
      case 'F':
        this.moveVertical(-n);
        b.x = 0;
        return;
      case 'G':
      case '`':
        return this.setCursor(n - 1, b.y);
      case 'H':
      case 'f':
        return this.setCursorOrigin((params[1] ?? 0) || 1, n);
      case 'I':
        if (b.x < this.cols) for (let i = 0; i < n; i++) b.x = this.nextTab(b.x);
        return;
      case 'J':
        return this.eraseInDisplay(p0);
      case 'K':
        return this.eraseInLine(p0);
      case 'L':
        return this.insertLines(n);
      case 'M':
        return this.deleteLines(n);
      case 'P':
        this.restrict();
        return this.deleteChars(n);
      case 'S':
        return this.scrollRegion(n, 'up');
      case 'T':
        return this.scrollRegion(n, 'down');
      case 'X':
        this.restrict();
        return this.eraseCells(b.y, b.x, Math.min(this.cols, b.x + n));
      case 'Z':
        if (b.x < this.cols) for (let i = 0; i < n; i++) b.x = this.previousTab(b.x);
        return;
      case 'c':
        if (p0 === 0) this.reply('\x1b[?1;2c');
        return;
      case 'd':
        return this.setCursorOrigin(b.x + 1, n);
      case 'g':
        if (p0 === 0) this.tabs.delete(Math.min(b.x, this.cols - 1));
        else if (p0 === 3) this.tabs.clear();
        return;
      case 'h':
      case 'l':
        if (params.includes(4)) this.insertMode = final === 'h';
        return;
      case 'm':
        this.attr = applySgr(this.attr, params);
        return;
      case 'n':
        if (p0 === 5) this.reply('\x1b[0n');
        else if (p0 === 6) this.reply(`\x1b[${b.y + 1 - (this.originMode ? b.top : 0)};${Math.min(b.x, this.cols - 1) + 1}R`);
        return;
      case 'r':
        return this.setRegion(p0 || 1, (params[1] ?? 0) || this.rowCount);
      case 's':
        return this.saveCursor();
      case 'u':
        return this.restoreCursor();
    }
  }

  private privateMode(mode: number, on: boolean): void {
    switch (mode) {
      case 1:
        this.appCursor = on;
        return;
      case 6:
        this.originMode = on;
        return this.setCursorOrigin(1, 1);
      case 7:
        this.autowrap = on;
        return;
      case 25:
        this.cursorVisible = on;
        this.dirty.add(this.active.y);
        return;
      case 2004:
        this.bracketedPaste = on;
        return;
      case 47:
      case 1047:
      case 1049:
        if (on) {
          if (mode === 1049) this.saveCursor();
          this.useAlt();
        } else {
          this.useNormal();
          if (mode === 1049) this.restoreCursor();
        }
        return;
    }
  }

  // --- cursor ---

  /** Brings a cursor past the last column (waiting to wrap) back onto it. */
  private restrict(): void {
    const b = this.active;
    b.x = Math.max(0, Math.min(this.cols - 1, b.x));
    b.y = this.originMode ? Math.max(b.top, Math.min(b.bottom, b.y)) : Math.max(0, Math.min(this.rowCount - 1, b.y));
  }

  private setCursor(x: number, y: number): void {
    const b = this.active;
    b.x = x;
    b.y = y;
    this.restrict();
  }

  /** `CUP`'s 1-based column and row, counted from the scrolling region's top in origin mode. */
  private setCursorOrigin(col: number, row: number): void {
    const b = this.active;
    if (this.originMode) this.setCursor(col - 1, Math.min(b.bottom, b.top + row - 1));
    else this.setCursor(col - 1, row - 1);
  }

  /** Up or down, stopping at the scrolling region's edge when the cursor is inside it. */
  private moveVertical(dy: number): void {
    const b = this.active;
    let y = b.y + dy;
    if (dy < 0 && b.y >= b.top) y = Math.max(b.top, y);
    if (dy > 0 && b.y <= b.bottom) y = Math.min(b.bottom, y);
    this.setCursor(b.x, y);
  }

  /** Lines above the screen's top: a saved cursor stays on its line when the screen scrolls, as in xterm.js. */
  private get base(): number {
    return this.active === this.normal ? this.scrollback.length : 0;
  }

  private saveCursor(): void {
    const b = this.active;
    b.saved = { x: b.x, y: this.base + b.y, attr: this.attr, originMode: this.originMode };
  }

  private restoreCursor(): void {
    const b = this.active;
    b.x = b.saved.x;
    b.y = Math.max(0, b.saved.y - this.base);
    this.attr = b.saved.attr;
    this.originMode = b.saved.originMode;
    this.restrict();
  }

  private resetTabs(): void {
    this.tabs.clear();
    for (let x = 8; x < this.cols; x += 8) this.tabs.add(x);
  }

  private nextTab(x: number): number {
    for (let i = x + 1; i < this.cols; i++) if (this.tabs.has(i)) return i;
    return this.cols - 1;
  }

  private previousTab(x: number): number {
    for (let i = x - 1; i > 0; i--) if (this.tabs.has(i)) return i;
    return 0;
  }

  // --- scrolling ---

  /** Down a line, scrolling the region when the cursor is on its last row. */
  private index(): void {
    const b = this.active;
    if (b.y === b.bottom) this.scrollUpOne();
    else if (b.y < this.rowCount - 1) b.y++;
  }

  private reverseIndex(): void {
    const b = this.active;
    this.restrict();
    if (b.y === b.top) this.scrollRegion(1, 'down');
    else if (b.y > 0) b.y--;
  }

  /** A line scrolls off the region's top; off the whole normal screen's top, it goes into the scrollback. */
  private scrollUpOne(): void {
    const b = this.active;
    const [gone] = b.rows.splice(b.top, 1);
    let reuse: Row | undefined = gone;
    if (b === this.normal && b.top === 0 && this.maxScrollback > 0) {
      this.scrollback.push(gone!);
      this.scrolled++;
      // The oldest line, dropped from a full scrollback, becomes the new blank line: a flood allocates nothing.
      reuse = this.scrollback.length > this.maxScrollback ? this.scrollback.shift() : undefined;
    }
    b.rows.splice(b.bottom, 0, this.blank(reuse));
    this.allDirty = true;
  }

  /** A blank row in the erase colour: `row` emptied when given (and of the screen's width), else a new one. */
  private blank(row?: Row): Row {
    const fill = eraseAttr(this.attr);
    if (!row || row.chars.length !== this.cols) return blankRow(this.cols, fill);
    row.chars.fill(EMPTY);
    row.attrs.fill(fill);
    row.wrapped = false;
    return row;
  }

  private scrollRegion(n: number, direction: 'up' | 'down'): void {
    const b = this.active;
    const height = b.bottom - b.top + 1;
    n = Math.min(n, height);
    for (let i = 0; i < n; i++) {
      const blank = blankRow(this.cols, eraseAttr(this.attr));
      if (direction === 'up') {
        b.rows.splice(b.top, 1);
        b.rows.splice(b.bottom, 0, blank);
      } else {
        b.rows.splice(b.bottom, 1);
        b.rows.splice(b.top, 0, blank);
      }
    }
    this.markRows(b.top, b.bottom);
  }

  private setRegion(top: number, bottom: number): void {
    const b = this.active;
    bottom = Math.min(bottom, this.rowCount);
    if (bottom <= top) return;
    b.top = top - 1;
    b.bottom = bottom - 1;
    this.setCursorOrigin(1, 1);
  }

  private insertLines(n: number): void {
    const b = this.active;
    this.restrict();
    if (b.y < b.top || b.y > b.bottom) return;
    n = Math.min(n, b.bottom - b.y + 1);
    b.rows.splice(b.bottom - n + 1, n);
    b.rows.splice(b.y, 0, ...Array.from({ length: n }, () => blankRow(this.cols, eraseAttr(this.attr))));
    b.x = 0;
    this.markRows(b.y, b.bottom);
  }

  private deleteLines(n: number): void {
    const b = this.active;
    this.restrict();
    if (b.y < b.top || b.y > b.bottom) return;
    n = Math.min(n, b.bottom - b.y + 1);
    b.rows.splice(b.y, n);
    b.rows.splice(b.bottom - n + 1, 0, ...Array.from({ length: n }, () => blankRow(this.cols, eraseAttr(this.attr))));
    b.x = 0;
    this.markRows(b.y, b.bottom);
  }

  // --- erasing ---

  private eraseCells(y: number, from: number, to: number, clearWrap = false): void {
    const row = this.active.rows[y]!;
    if (clearWrap) row.wrapped = false;
    const fill = eraseAttr(this.attr);
    // Half a wide character is no character: erasing one half blanks the other.
    if (from > 0 && row.chars[from] === TAIL) row.chars[from - 1] = EMPTY;
    if (to < this.cols && row.chars[to] === TAIL) row.chars[to] = EMPTY;
    for (let x = from; x < to; x++) {
      row.chars[x] = EMPTY;
      row.attrs[x] = fill;
    }
    this.dirty.add(y);
  }

  private eraseInLine(mode: number): void {
    const b = this.active;
    b.x = Math.min(b.x, this.cols);
    // Erasing a row from its first cell ends the line it continued.
    if (mode === 0) this.eraseCells(b.y, b.x, this.cols, b.x === 0);
    else if (mode === 1) this.eraseCells(b.y, 0, Math.min(this.cols, b.x + 1));
    else if (mode === 2) this.eraseCells(b.y, 0, this.cols, true);
  }

  private eraseInDisplay(mode: number): void {
    const b = this.active;
    b.x = Math.min(b.x, this.cols);
    if (mode === 0) {
      this.eraseCells(b.y, b.x, this.cols, b.x === 0);
      for (let y = b.y + 1; y < this.rowCount; y++) this.clearRow(y);
    } else if (mode === 1) {
      for (let y = 0; y < b.y; y++) this.clearRow(y);
      this.eraseCells(b.y, 0, Math.min(this.cols, b.x + 1), true);
      // The whole row gone, the next one no longer continues it.
      if (b.x + 1 >= this.cols && b.y + 1 < this.rowCount) b.rows[b.y + 1]!.wrapped = false;
    } else if (mode === 2) {
      for (let y = 0; y < this.rowCount; y++) this.clearRow(y);
    } else if (mode === 3 && b === this.normal) {
      this.scrollback.length = 0;
      this.scrollbackCleared = true;
    }
  }

  private clearRow(y: number): void {
    this.active.rows[y] = blankRow(this.cols, eraseAttr(this.attr));
    this.dirty.add(y);
  }

  private insertChars(n: number): void {
    const b = this.active;
    this.shiftRight(b.rows[b.y]!, b.x, Math.min(n, this.cols - b.x));
    this.dirty.add(b.y);
  }

  private deleteChars(n: number): void {
    const b = this.active;
    const row = b.rows[b.y]!;
    n = Math.min(n, this.cols - b.x);
    if (b.x > 0 && row.chars[b.x] === TAIL) row.chars[b.x - 1] = EMPTY;
    row.chars.splice(b.x, n);
    row.attrs.splice(b.x, n);
    const fill = eraseAttr(this.attr);
    for (let i = 0; i < n; i++) {
      row.chars.push(EMPTY);
      row.attrs.push(fill);
    }
    if (row.chars[b.x] === TAIL) row.chars[b.x] = EMPTY;
    this.dirty.add(b.y);
  }

  // --- screens and resets ---

  private useAlt(): void {
    if (this.active === this.alt) return;
    const alt = new ScreenBuffer(this.cols, this.rowCount, eraseAttr(this.attr));
    alt.x = this.normal.x;
    alt.y = this.normal.y;
    this.alt = alt;
    this.active = alt;
    this.switched();
  }

  private useNormal(): void {
    if (this.active === this.normal) return;
    this.normal.x = this.alt.x;
    this.normal.y = this.alt.y;
    this.active = this.normal;
    this.alt = new ScreenBuffer(this.cols, this.rowCount, PLAIN);
    this.switched();
  }

  private switched(): void {
    this.markRows(0, this.rowCount - 1);
  }

  private softReset(): void {
    this.attr = PLAIN;
    this.insertMode = false;
    this.originMode = false;
    this.autowrap = true;
    this.appCursor = false;
    this.cursorVisible = true;
    this.active.top = 0;
    this.active.bottom = this.rowCount - 1;
    this.active.saved = { x: 0, y: this.base, attr: PLAIN, originMode: false };
  }

  private fullReset(): void {
    this.softReset();
    this.bracketedPaste = false;
    this.useNormal();
    this.scrollback.length = 0;
    this.scrollbackCleared = true;
    for (let y = 0; y < this.rowCount; y++) this.clearRow(y);
    this.normal.x = 0;
    this.normal.y = 0;
    this.resetTabs();
  }

  /**
   * A new size in cells. Rows are cut or padded on the right (no rewrapping); a shorter
   * screen drops empty rows under the cursor first, then moves rows off its top into the
   * scrollback, so what the cursor is on stays in view.
   */
  resize(cols: number, rows: number): void {
    if (cols === this.cols && rows === this.rowCount) return;
    for (const buffer of [this.normal, this.alt]) {
      const fit = (row: Row) => {
        if (cols < row.chars.length) {
          row.chars.length = cols;
          row.attrs.length = cols;
          if (cellWidth(row.chars[cols - 1]?.codePointAt(0) ?? 0) === 2) row.chars[cols - 1] = EMPTY;
        } else
          while (row.chars.length < cols) {
            row.chars.push(EMPTY);
            row.attrs.push(PLAIN);
          }
      };
      buffer.rows.forEach(fit);
      if (buffer === this.normal) this.scrollback.forEach(fit);
      while (buffer.rows.length > rows && buffer.rows.length - 1 > buffer.y && rowText(buffer.rows.at(-1)!) === '') buffer.rows.pop();
      while (buffer.rows.length > rows) {
        const [gone] = buffer.rows.splice(0, 1);
        buffer.y--;
        if (buffer === this.normal) {
          this.scrollback.push(gone!);
          this.scrolled++;
        }
      }
      while (buffer.rows.length < rows) buffer.rows.push(blankRow(cols, PLAIN));
      buffer.cols = cols;
      buffer.top = 0;
      buffer.bottom = rows - 1;
      buffer.x = Math.min(buffer.x, cols - 1);
      buffer.y = Math.max(0, Math.min(buffer.y, rows - 1));
      buffer.saved.x = Math.min(buffer.saved.x, cols - 1);
    }
    while (this.scrollback.length > this.maxScrollback) this.scrollback.shift();
    this.cols = cols;
    this.rowCount = rows;
    this.resetTabs();
    this.scrollbackCleared = true;
    this.markRows(0, rows - 1);
  }

  private markRows(from: number, to: number): void {
    if (this.allDirty) return;
    for (let y = from; y <= to; y++) this.dirty.add(y);
  }
}
