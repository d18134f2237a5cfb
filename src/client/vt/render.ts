import { BOLD, DEFAULT, DIM, HIDDEN, INVERSE, ITALIC, STRIKE, UNDERLINE, bgOf, fgOf } from './attrs.js';
import type { Screen } from './screen.js';
import { EMPTY, TAIL, type Row } from './screen-buffer.js';

/** xterm's 16 colours; 16–231 are the 6×6×6 cube, 232–255 the greys. */
const ANSI = [
  '#2e3436', '#cc0000', '#4e9a06', '#c4a000', '#3465a4', '#75507b', '#06989a', '#d3d7cf',
  '#555753', '#ef2929', '#8ae234', '#fce94f', '#729fcf', '#ad7fa8', '#34e2e2', '#eeeeec',
]; // prettier-ignore

export function paletteColor(index: number): string {
  if (index < 16) return ANSI[index]!;
  if (index < 232) {
    const c = index - 16;
    const level = (v: number) => (v === 0 ? 0 : 55 + v * 40);
    return `rgb(${level(Math.floor(c / 36))},${level(Math.floor(c / 6) % 6)},${level(c % 6)})`;
  }
  const grey = 8 + (index - 232) * 10;
  return `rgb(${grey},${grey},${grey})`;
}

type Style = [property: string, value: string][];
const styles = new Map<number, Style>();
/**
 * Looks remembered at most: a program picks its colours and flags, and one that goes through every combination
 * (257 × 257 × 256 of them) must not grow the page's memory with it.
 */
export const STYLES_KEPT = 512;

/** How many looks are remembered now (for the test that floods it). */
export const stylesKept = (): number => styles.size;

/**
 * How a run of cells with one attribute looks, as CSS properties (none for the terminal's own
 * colours). Set through the CSSOM, never as a `style` attribute: a host page's strict CSP
 * (no `style-src 'unsafe-inline'`) refuses those.
 */
export function styleOf(attr: number): Style {
  const known = styles.get(attr);
  if (known) return known;
  let fg = fgOf(attr);
  let bg = bgOf(attr);
  const style: Style = [];
  if (attr & INVERSE) {
    [fg, bg] = [bg, fg];
    if (fg === DEFAULT) style.push(['color', 'var(--vt-bg)']);
    if (bg === DEFAULT) style.push(['background', 'var(--vt-fg)']);
  }
  if (fg !== DEFAULT) style.push(['color', paletteColor(fg)]);
  if (bg !== DEFAULT) style.push(['background', paletteColor(bg)]);
  if (attr & BOLD) style.push(['font-weight', 'bold']);
  if (attr & DIM) style.push(['opacity', '.6']);
  if (attr & ITALIC) style.push(['font-style', 'italic']);
  const lines = [attr & UNDERLINE ? 'underline' : '', attr & STRIKE ? 'line-through' : ''].filter(Boolean);
  if (lines.length) style.push(['text-decoration', lines.join(' ')]);
  if (attr & HIDDEN) style.push(['color', 'transparent']);
  if (styles.size >= STYLES_KEPT) styles.clear();
  styles.set(attr, style);
  return style;
}

function styled(span: HTMLElement, style: Style): HTMLElement {
  for (const [property, value] of style) span.style.setProperty(property, value);
  return span;
}

/**
 * One row as elements: a span per run of cells that look alike, a wide character in a span
 * two cells wide (a font's Hangul is seldom exactly twice its Latin), the cursor's cell in
 * a span of its own.
 */
export function drawRow(el: HTMLElement, row: Row, cursorX = -1): void {
  const doc = el.ownerDocument;
  const parts: Node[] = [];
  let text = '';
  let attr = -1;
  const flush = () => {
    if (!text) return;
    const style = styleOf(attr);
    if (style.length) {
      const span = styled(doc.createElement('span'), style);
      span.textContent = text;
      parts.push(span);
    } else parts.push(doc.createTextNode(text));
    text = '';
  };
  for (let x = 0; x < row.chars.length; x++) {
    const ch = row.chars[x]!;
    if (ch === TAIL) continue;
    const a = row.attrs[x]!;
    const wide = row.chars[x + 1] === TAIL;
    if (x === cursorX || wide) {
      flush();
      const span = styled(doc.createElement('span'), styleOf(a));
      span.className = [wide ? 'vt-wide' : '', x === cursorX ? 'vt-cursor' : ''].filter(Boolean).join(' ');
      span.textContent = ch === EMPTY ? ' ' : ch;
      parts.push(span);
      continue;
    }
    if (a !== attr) {
      flush();
      attr = a;
    }
    text += ch === EMPTY ? ' ' : ch;
  }
  flush();
  // Trailing blanks in the terminal's colours are not drawn: a row's text is what it shows.
  const last = parts.at(-1);
  if (last && last.nodeType === 3) last.textContent = last.textContent!.replace(/ +$/, '');
  el.replaceChildren(...parts);
}

/**
 * Draws a Screen into elements: the rows that scrolled off its top (kept for the reader
 * to scroll back to, hidden while a full-screen program has the alternate screen) and the
 * screen's rows, redrawing only the rows that changed since the last call.
 */
export class ScreenRenderer {
  readonly scrollbackEl: HTMLElement;
  readonly screenEl: HTMLElement;
  private cursorRow = -1;
  private cursorX = -1;

  constructor(
    private readonly screen: Screen,
    private readonly viewport: HTMLElement,
  ) {
    const doc = viewport.ownerDocument;
    this.scrollbackEl = doc.createElement('div');
    this.scrollbackEl.className = 'vt-scrollback';
    this.screenEl = doc.createElement('div');
    this.screenEl.className = 'vt-screen';
    this.screenEl.dataset.screen = '';
    viewport.append(this.scrollbackEl, this.screenEl);
    this.fit();
  }

  /** The screen's row elements, one per row (after a resize). */
  private fit(): void {
    const doc = this.viewport.ownerDocument;
    while (this.screenEl.children.length > this.screen.rowCount) this.screenEl.lastElementChild!.remove();
    while (this.screenEl.children.length < this.screen.rowCount) this.screenEl.append(doc.createElement('div'));
  }

  render(focused: boolean): void {
    const s = this.screen;
    const atBottom = this.viewport.scrollTop + this.viewport.clientHeight >= this.viewport.scrollHeight - 2;
    if (s.scrollbackCleared) {
      this.scrollbackEl.replaceChildren();
      s.scrolled = s.scrollback.length;
      s.scrollbackCleared = false;
    }
    if (s.scrolled > 0) {
      const doc = this.viewport.ownerDocument;
      for (const row of s.scrollback.slice(-Math.min(s.scrolled, s.scrollback.length))) {
        const el = doc.createElement('div');
        drawRow(el, row);
        this.scrollbackEl.append(el);
      }
      while (this.scrollbackEl.children.length > s.scrollback.length) this.scrollbackEl.firstElementChild!.remove();
      s.scrolled = 0;
    }
    this.scrollbackEl.hidden = s.isAlt;
    this.fit();
    // The cursor is drawn on its row: a row it leaves or comes to is redrawn.
    const cursorRow = s.cursorVisible && focused ? s.y : -1;
    const cursorX = Math.min(s.x, s.cols - 1);
    if (cursorRow !== this.cursorRow || cursorX !== this.cursorX) {
      s.dirty.add(this.cursorRow);
      s.dirty.add(cursorRow);
      this.cursorRow = cursorRow;
      this.cursorX = cursorX;
    }
    const rows = s.active.rows;
    if (s.allDirty) for (let y = 0; y < rows.length; y++) s.dirty.add(y);
    s.allDirty = false;
    for (const y of s.dirty) {
      const el = this.screenEl.children[y] as HTMLElement | undefined;
      if (el && rows[y]) drawRow(el, rows[y], y === cursorRow ? cursorX : -1);
    }
    s.dirty.clear();
    if (atBottom) this.viewport.scrollTop = this.viewport.scrollHeight;
  }
}
