import type { TerminalSize } from '../engine/engine.js';
import { keyBytes, pasteBytes } from './vt/keys.js';
import { VtParser } from './vt/parser.js';
import { ScreenRenderer } from './vt/render.js';
import { Screen } from './vt/screen.js';
import './vt/vt.css';

/**
 * The screen of a `-t` session: a terminal emulator of our own (src/client/vt/), so that
 * what a program on a pty draws — `vi`, `top`, `less` with cursor addressing, the
 * alternate screen, colours — shows as on the learner's own terminal. A few kilobytes, not
 * xterm.js's 80: the embed's budget counts the terminal emulator. This module is loaded
 * only when such a session starts (`terminal.element.ts` imports it dynamically), so a
 * lesson page that never runs `-it` never downloads it.
 */
export interface TtyView {
  /** The pty's output, as it comes. */
  write(text: string): void;
  focus(): void;
  hasFocus(): boolean;
  /** Disposes of the emulator and returns what its screen showed, the scrollback included, as text. */
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
/** What the screen reader's live region is given at once, at most: a flood of output is not read out whole. */
const SPOKEN = 2000;
const MODIFIERS = new Set(['Shift', 'Control', 'Alt', 'Meta', 'AltGraph', 'CapsLock']);

export function openTtyView(host: HTMLElement, options: TtyViewOptions): TtyView {
  const doc = host.ownerDocument;
  const root = host.getRootNode() as Document | ShadowRoot;
  const viewport = doc.createElement('div');
  viewport.className = 'vt';
  const input = doc.createElement('textarea');
  input.className = 'vt-input';
  input.setAttribute('aria-label', options.label);
  for (const [name, value] of Object.entries({ autocapitalize: 'off', autocomplete: 'off', autocorrect: 'off', spellcheck: 'false' }))
    input.setAttribute(name, value);
  // What the program prints on the normal screen, read out by a screen reader as it comes.
  const live = doc.createElement('div');
  live.className = 'vt-live';
  live.setAttribute('aria-live', 'polite');
  const measure = doc.createElement('span');
  measure.className = 'vt-measure';
  measure.setAttribute('aria-hidden', 'true');
  measure.textContent = 'W'.repeat(40);
  viewport.append(measure);
  host.append(viewport);

  // The font's cell and the box's padding, measured when the box is sized (at start and on a resize), not on every
  // frame a flood of output draws: each read would force a layout.
  let cell = { width: 8, height: 16 };
  let paddingLeft = 0;
  const sizeInCells = (): TerminalSize => {
    const box = measure.getBoundingClientRect();
    cell = { width: box.width / 40 || 8, height: box.height || 16 };
    const style = getComputedStyle(viewport);
    paddingLeft = viewport.clientLeft + parseFloat(style.paddingLeft);
    const width = viewport.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const height = viewport.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
    return { cols: Math.max(2, Math.floor(width / cell.width)), rows: Math.max(1, Math.floor(height / cell.height)) };
  };

  const first = sizeInCells();
  const screen = new Screen(first.cols, first.rows, SCROLLBACK, (answer) => options.onData(answer));
  const renderer = new ScreenRenderer(screen, viewport);
  viewport.append(input, live);
  let spoken = '';
  const parser = new VtParser({
    print(text) {
      screen.print(text);
      if (!screen.isAlt && spoken.length < SPOKEN) spoken += text;
    },
    execute(code) {
      screen.execute(code);
      if (code === 0x0a && !screen.isAlt && spoken.length < SPOKEN) spoken += '\n';
    },
    esc: (final, intermediates) => screen.esc(final, intermediates),
    csi: (final, params, prefix, intermediates) => screen.csi(final, params, prefix, intermediates),
  });

  let frame = 0;
  const render = () => {
    frame = 0;
    renderer.render(root.activeElement === input);
    // The input sits on the cursor: an IME's candidate window opens where the text goes.
    const row = renderer.screenEl.children[screen.y] as HTMLElement | undefined;
    input.style.top = `${row?.offsetTop ?? 0}px`;
    input.style.left = `${paddingLeft + Math.min(screen.x, screen.cols - 1) * cell.width}px`;
    if (spoken) {
      live.textContent = spoken;
      spoken = '';
    }
  };
  const schedule = () => {
    frame ||= requestAnimationFrame(render);
  };

  let closed = false;
  const send = (data: string) => {
    // A composition committed as the session ended (its flush is a task later) has nowhere to go.
    if (closed) return;
    viewport.scrollTop = viewport.scrollHeight;
    options.onData(data);
  };
  // No keyboard trap (WCAG 2.1.2): Tab is the shell's completion, so Escape then Tab (or
  // Shift-Tab) leaves the terminal; the Escape itself still reaches the program (vi needs it).
  let escaped = false;
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.isComposing || MODIFIERS.has(event.key)) return;
    if (event.key === 'Tab' && escaped) {
      escaped = false;
      return;
    }
    escaped = event.key === 'Escape';
    const bytes = keyBytes(event, screen.appCursor);
    if (bytes === undefined) return;
    event.preventDefault();
    // Text committed just before (an IME's last syllable) goes first: Enter must not overtake it.
    flushInput();
    send(bytes);
  };
  // Text — typed, or composed by an IME (Korean) and committed — arrives as the input's value.
  let composing = false;
  const flushInput = () => {
    if (composing || !input.value) return;
    const text = input.value;
    input.value = '';
    send(text);
  };
  const onCompositionStart = () => {
    flushInput();
    composing = true;
  };
  // The committed text is in the input's value at compositionend in Chromium, a task later in some browsers.
  const onCompositionEnd = () => {
    composing = false;
    flushInput();
    setTimeout(flushInput);
  };
  const onPaste = (event: ClipboardEvent) => {
    event.preventDefault();
    const text = event.clipboardData?.getData('text/plain');
    if (text) send(pasteBytes(text, screen.bracketedPaste));
  };
  const onClick = () => {
    if (!doc.getSelection()?.toString()) input.focus();
  };
  const listening = new AbortController();
  const on = (target: HTMLElement, type: string, listener: (event: never) => void) =>
    target.addEventListener(type, listener as EventListener, { signal: listening.signal });
  on(input, 'keydown', onKeyDown);
  on(input, 'input', flushInput);
  on(input, 'compositionstart', onCompositionStart);
  on(input, 'compositionend', onCompositionEnd);
  on(input, 'paste', onPaste);
  on(input, 'focus', schedule);
  on(input, 'blur', schedule);
  on(viewport, 'click', onClick);

  const refit = () => {
    if (viewport.clientWidth === 0 || viewport.clientHeight === 0) return;
    const size = sizeInCells();
    if (size.cols === screen.cols && size.rows === screen.rowCount) return;
    screen.resize(size.cols, size.rows);
    options.onResize(size);
    schedule();
  };
  const observer = new ResizeObserver(refit);
  observer.observe(viewport);
  options.onResize(first);
  render();

  return {
    write(text) {
      parser.write(text);
      schedule();
    },
    focus: () => {
      input.focus();
      schedule();
    },
    hasFocus: () => root.activeElement === input,
    async close() {
      closed = true;
      observer.disconnect();
      cancelAnimationFrame(frame);
      listening.abort();
      return screen.text();
    },
  };
}
