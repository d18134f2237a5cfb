import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import type { TerminalSize } from '../engine/engine.js';

/**
 * The screen of a `-t` session: xterm.js, a terminal emulator, so that what a program on
 * a pty draws — `vi`, `top`, `less` with cursor addressing, the alternate screen, colours
 * — shows as on the learner's own terminal. This module is loaded only when such a
 * session starts (`terminal.element.ts` imports it dynamically), so a lesson page that
 * never runs `-it` never downloads it.
 */
export interface TtyView {
  /** The pty's output, as it comes. */
  write(text: string): void;
  focus(): void;
  hasFocus(): boolean;
  /** Disposes of the emulator (once what was written is drawn) and returns what its screen showed, the scrollback included, as text. */
  close(): Promise<string>;
}

export interface TtyViewOptions {
  /** What the learner types (and what the emulator answers, e.g. to a cursor-position query). */
  onData(data: string): void;
  /** The size in cells, once at the start and whenever the host's box changes. */
  onResize(size: TerminalSize): void;
  /** The accessible name of the emulator's input. */
  label: string;
}

/** Lines kept above the screen: a long session must not grow the page's memory without bound. */
const SCROLLBACK = 1000;

export function openTtyView(host: HTMLElement, options: TtyViewOptions): TtyView {
  Terminal.strings.promptLabel = options.label;
  const style = getComputedStyle(host);
  const color = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const term = new Terminal({
    scrollback: SCROLLBACK,
    // The accessibility tree and live region of xterm, so a screen reader reads the screen.
    screenReaderMode: true,
    fontFamily: style.fontFamily,
    fontSize: Math.round(parseFloat(style.fontSize) || 14),
    // Only what the program prints is coloured: the default colours are the page terminal's own.
    theme: { background: color('--term-bg', '#14181d'), foreground: color('--term-fg', '#e6edf3'), cursor: color('--term-fg', '#e6edf3') },
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  // No keyboard trap (WCAG 2.1.2): Tab is the shell's completion, so Escape then Tab (or
  // Shift-Tab) leaves the terminal; the Escape itself still reaches the program (vi needs it).
  let escaped = false;
  term.attachCustomKeyEventHandler((event) => {
    if (event.type !== 'keydown') return true;
    if (event.key === 'Tab' && escaped) {
      escaped = false;
      return false;
    }
    escaped = event.key === 'Escape';
    return true;
  });
  term.open(host);
  const onData = term.onData((data) => options.onData(data));
  const onResize = term.onResize((size) => options.onResize({ cols: size.cols, rows: size.rows }));
  const refit = () => {
    if (host.clientWidth > 0 && host.clientHeight > 0) fit.fit();
  };
  refit();
  options.onResize({ cols: term.cols, rows: term.rows });
  const observer = new ResizeObserver(refit);
  observer.observe(host);
  return {
    write: (text) => term.write(text),
    focus: () => term.focus(),
    hasFocus: () => host.contains(document.activeElement),
    async close() {
      // xterm parses what was written on a later task: wait for the last of it.
      await new Promise<void>((resolve) => term.write('', resolve));
      observer.disconnect();
      onData.dispose();
      onResize.dispose();
      const buffer = term.buffer.normal;
      const lines: string[] = [];
      for (let i = 0; i < buffer.length; i++) {
        const line = buffer.getLine(i)!;
        // A wrapped row continues the line above it.
        if (line.isWrapped && lines.length) lines[lines.length - 1] += line.translateToString(true);
        else lines.push(line.translateToString(true));
      }
      term.dispose();
      while (lines.length && lines.at(-1) === '') lines.pop();
      return lines.length ? `${lines.join('\n')}\n` : '';
    },
  };
}
