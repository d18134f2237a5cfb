import { describe, expect, it } from 'vitest';
import { VtParser } from '../../src/client/vt/parser.js';
import { Screen } from '../../src/client/vt/screen.js';
import { rowText } from '../../src/client/vt/screen-buffer.js';

/** A screen fed `chunks`; what it answered the program is in `replies`. */
function feed(cols: number, rows: number, chunks: string[], scrollback = 100) {
  const replies: string[] = [];
  const screen = new Screen(cols, rows, scrollback, (r) => replies.push(r));
  const parser = new VtParser(screen);
  for (const c of chunks) parser.write(c);
  return { screen, replies, rows: () => screen.active.rows.map(rowText) };
}

// What the oracle test (vt-screen.oracle.test.ts) cannot check against xterm.js: answers, sizes, bounds, and where xterm.js is wrong.
describe('Screen', () => {
  it('answers a cursor-position query and the device-attributes query (busybox asks for the size this way)', () => {
    const { replies } = feed(80, 24, ['\x1b[5;10H\x1b[6n', '\x1b[c', '\x1b[5n']);
    expect(replies).toEqual(['\x1b[5;10R', '\x1b[?1;2c', '\x1b[0n']);
  });

  it('erases from the top to the cursor (CSI 1 J) on the screen the cursor is on, after scrolling too', () => {
    const { rows, screen } = feed(4, 2, ['aaaa', 'bbbb', 'cccc', '\x1b[2;4H\x1b[1J']);
    expect(rows()).toEqual(['', '']);
    expect(screen.scrollback.map(rowText)).toEqual(['aaaa']);
  });

  it('keeps at most its scrollback, however much is written', () => {
    const { screen } = feed(10, 3, [Array.from({ length: 5000 }, (_, i) => `${i}`).join('\r\n')], 50);
    expect(screen.scrollback).toHaveLength(50);
    expect(rowText(screen.scrollback.at(-1)!)).toBe('4996');
  });

  it('bounds a hostile sequence: thousands of parameters, a huge number, an endless OSC', () => {
    const { rows } = feed(10, 2, [`\x1b[${'1;'.repeat(100_000)}m`, '\x1b[99999999999999C', '\x1b]0;' + 'x'.repeat(100_000), '\x07ok']);
    expect(rows()[0]).toBe('         o');
  });

  it('resizes: rows cut or padded, the cursor kept in view, the rows above it pushed into the scrollback', () => {
    const { screen, rows } = feed(10, 5, ['1\r\n2\r\n3\r\n4\r\n5']);
    screen.resize(6, 3);
    expect(rows()).toEqual(['3', '4', '5']);
    expect(screen.scrollback.map(rowText)).toEqual(['1', '2']);
    expect([screen.x, screen.y]).toEqual([1, 2]);
    screen.resize(12, 4);
    expect(rows()).toEqual(['3', '4', '5', '']);
  });

  it('gives its text as lines, wrapped rows joined, the normal screen even while the alternate one shows', () => {
    const { screen } = feed(5, 3, ['hello world\r\n$ ', '\x1b[?1049hvi here']);
    expect(screen.text()).toBe('hello world\n$ \n');
  });
});
