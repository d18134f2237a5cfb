/** The parts of a `keydown` event that decide what a terminal sends (a plain object in tests). */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  metaKey: boolean;
}

const CURSOR: Record<string, string> = { ArrowUp: 'A', ArrowDown: 'B', ArrowRight: 'C', ArrowLeft: 'D', Home: 'H', End: 'F' };
const TILDE: Record<string, number> = {
  Insert: 2,
  Delete: 3,
  PageUp: 5,
  PageDown: 6,
  F5: 15,
  F6: 17,
  F7: 18,
  F8: 19,
  F9: 20,
  F10: 21,
  F11: 23,
  F12: 24,
};
const SS3: Record<string, string> = { F1: 'P', F2: 'Q', F3: 'R', F4: 'S' };
/** Ctrl with a punctuation key: the C0 control a VT100 keyboard sent for it. */
const CTRL_PUNCT: Record<string, string> = {
  '@': '\x00',
  ' ': '\x00',
  '2': '\x00',
  '[': '\x1b',
  '\\': '\x1c',
  ']': '\x1d',
  '^': '\x1e',
  '6': '\x1e',
  _: '\x1f',
  '-': '\x1f',
  '?': '\x7f',
};

/**
 * What a key sends to the program on the terminal, as xterm sends it: `\r` for Enter, DEL
 * for Backspace, `ESC [ A` for ↑ (`ESC O A` once the program asked for application cursor
 * keys, as `less` and `vi` do), the C0 control for Ctrl with a letter, ESC before a key
 * with Alt. `undefined` for a key that types text (it arrives as the input's text, so an
 * IME's composed Korean does too) or that is the browser's (⌘, Ctrl-Shift-C/V).
 */
export function keyBytes(e: KeyPress, appCursor: boolean): string | undefined {
  if (e.metaKey) return undefined;
  const mod = 1 + (e.shiftKey ? 1 : 0) + (e.altKey ? 2 : 0) + (e.ctrlKey ? 4 : 0);
  const cursor = CURSOR[e.key];
  if (cursor) return mod > 1 ? `\x1b[1;${mod}${cursor}` : appCursor ? `\x1bO${cursor}` : `\x1b[${cursor}`;
  const tilde = TILDE[e.key];
  if (tilde) return mod > 1 ? `\x1b[${tilde};${mod}~` : `\x1b[${tilde}~`;
  const ss3 = SS3[e.key];
  if (ss3) return mod > 1 ? `\x1b[1;${mod}${ss3}` : `\x1bO${ss3}`;
  const alt = e.altKey ? '\x1b' : '';
  switch (e.key) {
    case 'Enter':
      return `${alt}\r`;
    case 'Backspace':
      return e.ctrlKey ? '\x08' : `${alt}\x7f`;
    case 'Tab':
      return e.shiftKey ? '\x1b[Z' : `${alt}\t`;
    case 'Escape':
      return '\x1b';
  }
  if ([...e.key].length !== 1) return undefined;
  if (e.ctrlKey && !e.altKey) {
    if (e.shiftKey && /^[a-z]$/i.test(e.key)) return undefined;
    const lower = e.key.toLowerCase();
    if (/^[a-z]$/.test(lower)) return String.fromCharCode(lower.charCodeAt(0) - 96);
    return CTRL_PUNCT[e.key];
  }
  if (e.altKey && !e.ctrlKey) return `\x1b${e.key}`;
  return undefined;
}

/** Pasted text as a program reads typed lines (CR ends one), between bracketed-paste marks when it asked for them. */
export function pasteBytes(text: string, bracketed: boolean): string {
  const typed = text.replace(/\r?\n/g, '\r');
  return bracketed ? `\x1b[200~${typed.replaceAll('\x1b[201~', '')}\x1b[201~` : typed;
}
