import { describe, expect, it } from 'vitest';
import { keyBytes, pasteBytes, type KeyPress } from '../../src/client/vt/keys.js';

const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  altKey: false,
  shiftKey: false,
  metaKey: false,
  ...mods,
});

describe('keyBytes: what a key sends, as xterm sends it', () => {
  it.each([
    ['Enter', {}, '\r'],
    ['Backspace', {}, '\x7f'],
    ['Backspace', { ctrlKey: true }, '\x08'],
    ['Tab', {}, '\t'],
    ['Tab', { shiftKey: true }, '\x1b[Z'],
    ['Escape', {}, '\x1b'],
    ['ArrowUp', {}, '\x1b[A'],
    ['ArrowLeft', { ctrlKey: true }, '\x1b[1;5D'],
    ['Home', {}, '\x1b[H'],
    ['Delete', {}, '\x1b[3~'],
    ['PageDown', { shiftKey: true }, '\x1b[6;2~'],
    ['F1', {}, '\x1bOP'],
    ['F12', {}, '\x1b[24~'],
    ['c', { ctrlKey: true }, '\x03'],
    ['D', { ctrlKey: true }, '\x04'],
    ['[', { ctrlKey: true }, '\x1b'],
    [' ', { ctrlKey: true }, '\x00'],
    ['b', { altKey: true }, '\x1bb'],
    ['Enter', { altKey: true }, '\x1b\r'],
  ] as const)('%s %o → %j', (key, mods, bytes) => {
    expect(keyBytes(press(key, mods), false)).toBe(bytes);
  });

  it('sends application cursor keys once the program asked for them (less, vi)', () => {
    expect(keyBytes(press('ArrowDown'), true)).toBe('\x1bOB');
    expect(keyBytes(press('End'), true)).toBe('\x1bOF');
  });

  it("leaves text to the input (an IME's too) and the browser's keys to the browser", () => {
    for (const p of [
      press('a'),
      press('A', { shiftKey: true }),
      press('한'),
      press('c', { metaKey: true }),
      press('v', { ctrlKey: true, shiftKey: true }),
      press('Shift'),
      press('Dead'),
    ])
      expect(keyBytes(p, false)).toBeUndefined();
  });
});

describe('pasteBytes', () => {
  it('ends each pasted line with CR, as typed lines end', () => {
    expect(pasteBytes('ls\r\necho hi\n', false)).toBe('ls\recho hi\r');
  });

  it('brackets a paste when the program asked, and a pasted end mark cannot close the bracket early', () => {
    expect(pasteBytes('a\x1b[201~rm -rf /\n', true)).toBe('\x1b[200~arm -rf /\r\x1b[201~');
  });
});
