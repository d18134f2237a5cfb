import fc from 'fast-check';
import { Terminal } from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import { BOLD, DEFAULT, INVERSE, UNDERLINE, bgOf, fgOf } from '../../src/client/vt/attrs.js';
import { VtParser } from '../../src/client/vt/parser.js';
import { Screen } from '../../src/client/vt/screen.js';
import { rowText, type Row } from '../../src/client/vt/screen-buffer.js';

/**
 * Our terminal screen against xterm.js, the emulator it replaces: the same stream of
 * program output fed to both, then every line's text (scrollback included), which lines
 * wrap, the cursor, which screen is shown and each cell's colours and bold/underline/inverse
 * must agree. The streams are random sentences of what busybox's programs write — text
 * (Korean too), controls, cursor moves, erases, scrolling regions, inserts and deletes, the
 * alternate screen; not origin mode, whose relative moves xterm.js offsets twice, nor autowrap off, where it overwrites half of a wide character and keeps the other, nor `CSI 1 J`, which it
 * carries out on the wrong row once the screen has scrolled (and throws on the last row) — and sessions recorded from busybox's own `vi`, `top` and `less`.
 */
const SCROLLBACK = 50;

interface Seen {
  alt: boolean;
  cursor: [number, number];
  normal: { text: string; wrapped: boolean }[];
  screen: { text: string; wrapped: boolean }[];
  cells: string[];
}

async function viaXterm(cols: number, rows: number, chunks: string[]): Promise<Seen> {
  const term = new Terminal({ cols, rows, scrollback: SCROLLBACK, allowProposedApi: true });
  for (const chunk of chunks) await new Promise<void>((done) => term.write(chunk, done));
  const lines = (buffer: typeof term.buffer.normal, from: number, to: number) =>
    Array.from({ length: to - from }, (_, i) => {
      const line = buffer.getLine(from + i)!;
      return { text: line.translateToString(true), wrapped: line.isWrapped };
    });
  const active = term.buffer.active;
  const cells: string[] = [];
  const cell = active.getNullCell();
  for (let y = 0; y < rows; y++) {
    const line = active.getLine(active.baseY + y)!;
    for (let x = 0; x < cols; x++) {
      line.getCell(x, cell);
      if (!cell.getChars()) continue;
      const fg = cell.isFgDefault() ? DEFAULT : cell.isFgPalette() ? cell.getFgColor() : -1;
      const bg = cell.isBgDefault() ? DEFAULT : cell.isBgPalette() ? cell.getBgColor() : -1;
      cells.push(`${x},${y} ${fg}/${bg}${cell.isBold() ? ' b' : ''}${cell.isUnderline() ? ' u' : ''}${cell.isInverse() ? ' i' : ''}`);
    }
  }
  const seen: Seen = {
    alt: active.type === 'alternate',
    cursor: [active.cursorX, active.cursorY],
    normal: lines(term.buffer.normal, 0, term.buffer.normal.length),
    screen: lines(active, active.baseY, active.baseY + rows),
    cells,
  };
  term.dispose();
  return seen;
}

function viaScreen(cols: number, rows: number, chunks: string[]): Seen {
  const screen = new Screen(cols, rows, SCROLLBACK);
  const parser = new VtParser(screen);
  for (const chunk of chunks) parser.write(chunk);
  const lines = (list: Row[]) => list.map((row) => ({ text: rowText(row), wrapped: row.wrapped }));
  const cells: string[] = [];
  screen.active.rows.forEach((row, y) =>
    row.chars.forEach((ch, x) => {
      if (ch === '' || ch === '\u0000') return;
      const a = row.attrs[x]!;
      cells.push(`${x},${y} ${fgOf(a)}/${bgOf(a)}${a & BOLD ? ' b' : ''}${a & UNDERLINE ? ' u' : ''}${a & INVERSE ? ' i' : ''}`);
    }),
  );
  return {
    alt: screen.isAlt,
    cursor: [screen.x, screen.y],
    normal: lines([...screen.scrollback, ...screen.normal.rows]),
    screen: lines(screen.active.rows),
    cells,
  };
}

const CSI = '\x1b[';
const num = (max: number) => fc.integer({ min: 0, max });
const text = fc.oneof(fc.stringMatching(/^[a-z ~#/.]{1,12}$/), fc.constantFrom('한글', '도커 이미지', '컨테이너', 'é', 'e\u0301', '𝒳𠀋'));
const control = fc.constantFrom('\r', '\n', '\r\n', '\b', '\t', '\x07');
const cursorMove = fc.oneof(
  fc
    .tuple(num(30), num(12), fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F', 'G', '`', 'd', 'a', 'e', 'I', 'Z'))
    .map(([n, , f]) => `${CSI}${n || ''}${f}`),
  fc.tuple(num(14), num(30)).map(([row, col]) => `${CSI}${row};${col}H`),
  fc.constantFrom(`${CSI}H`, '\x1b7', '\x1b8', `${CSI}s`, `${CSI}u`, '\x1bD', '\x1bE', '\x1bM'),
);
const edit = fc.oneof(
  fc.tuple(fc.constantFrom(0, 2, 3), fc.constantFrom('J', 'K')).map(([n, f]) => `${CSI}${n}${f}`),
  fc.constant(`${CSI}1K`),
  fc.tuple(num(6), fc.constantFrom('@', 'P', 'X', 'L', 'M', 'S', 'T')).map(([n, f]) => `${CSI}${n || ''}${f}`),
  fc.tuple(num(12), num(12)).map(([top, bottom]) => `${CSI}${top};${bottom}r`),
);
const mode = fc.constantFrom(
  `${CSI}?1049h`,
  `${CSI}?1049l`,
  `${CSI}?47h`,
  `${CSI}?47l`,
  `${CSI}?1047h`,
  `${CSI}?1047l`,
  `${CSI}?25l`,
  `${CSI}4h`,
  `${CSI}4l`,
  `${CSI}!p`,
  '\x1b]0;title\x07',
  '\x1b(B',
);
const sgr = fc
  .array(fc.constantFrom('0', '1', '4', '7', '22', '24', '27', '31', '32', '39', '44', '49', '92', '103', '38;5;200', '48;5;17'), { maxLength: 3 })
  .map((ps) => `${CSI}${ps.join(';')}m`);
const token = fc.oneof(
  { arbitrary: text, weight: 6 },
  { arbitrary: control, weight: 4 },
  { arbitrary: cursorMove, weight: 3 },
  { arbitrary: edit, weight: 2 },
  { arbitrary: mode, weight: 1 },
  { arbitrary: sgr, weight: 2 },
);

/** A stream cut into writes at arbitrary places, sequences too: a program's output arrives in pieces. */
const stream = fc.tuple(fc.array(token, { maxLength: 60 }), fc.array(fc.nat(), { maxLength: 4 })).map(([tokens, cuts]) => {
  const all = tokens.join('');
  const at = [...new Set(cuts.map((c) => c % (all.length + 1)))].sort((a, b) => a - b);
  const chunks: string[] = [];
  let from = 0;
  for (const cut of at) {
    chunks.push(all.slice(from, cut));
    from = cut;
  }
  chunks.push(all.slice(from));
  return chunks;
});

describe('Screen, against xterm.js', () => {
  it('agrees on random streams of text, controls, cursor moves, erases, regions and screens', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 4, max: 30 }), fc.integer({ min: 2, max: 12 }), stream, async (cols, rows, chunks) => {
        expect(viaScreen(cols, rows, chunks)).toEqual(await viaXterm(cols, rows, chunks));
      }),
      { numRuns: 1000, timeout: 3000 },
    );
  }, 120_000);

  it.each([
    ['a line longer than the screen wraps, and stays one line', 10, 3, ['0123456789abcdefghij012345\r\nnext']],
    ['a wide character that does not fit wraps whole', 5, 3, ['abcd한글']],
    ['scrolled-off lines are kept in order, at most the scrollback', 8, 3, [Array.from({ length: 80 }, (_, i) => `line ${i}`).join('\r\n')]],
    [
      'the alternate screen leaves the normal one as it was',
      20,
      4,
      ['prompt$ vi\r\n', `${CSI}?1049h${CSI}H${CSI}2J~\r\n~\r\n${CSI}4;1H"f" 2L`, `${CSI}?1049l`, 'after'],
    ],
    ['with autowrap off, the last column is overwritten', 6, 2, [`${CSI}?7labcdefgh${CSI}?7h\r\nij`]],
    ['a scrolling region scrolls only its rows', 10, 6, [`top\r\n${CSI}2;4r${CSI}4;1Ha\nb\nc\nd${CSI}r${CSI}6;1Hbottom`]],
  ])('%s', async (_name, cols, rows, chunks) => {
    expect(viaScreen(cols, rows, chunks)).toEqual(await viaXterm(cols, rows, chunks));
  });
});
