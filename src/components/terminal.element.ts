import type { CommandResult, TerminalSize } from '../engine/engine.js';
import type { StateSnapshot } from '../engine/state.js';
import type { CompletionNames } from '../client/completion.js';
import { format, readLabels, type Labels } from '../client/labels.js';
import { onSessionNotice, pageEngine } from '../client/page-engine.js';
import { SandboxUnreachable, SessionRenewed, type HealingEngine, type SessionNotice } from '../client/healing-engine.js';
import { CATCH_UP_EVENT, type CatchUpDetail } from './catch-up-event.js';
import { REPLACED_NOTICE_LINES } from './session-notice-line.js';
import type { AttachMode } from '../client/attach-mode.js';
import { PushQueue } from '../engine/push-queue.js';
import type { TtyView } from '../client/tty-view.js';
import { OutputBatch, type OutputBatchOptions } from '../client/output-batch.js';
import { cutNote } from '../client/output-note.js';
import { RUN_EVENT, type RunEventDetail } from './run-event.js';
import { noPageEngine } from './no-page-engine.js';

// A long session must not grow the page without bound; the oldest output goes first.
const MAX_OUTPUT_NODES = 600;
/** One command's output shown at most (the sandbox's own cap is 1 MiB); the rest is counted in a note. */
const MAX_SHOWN_CHARS = 512 * 1024;
/** Written in one frame at most, in blocks of a few KiB: the browser lays out only the new blocks (bench/terminal-output.bench.ts). */
const FRAME_CHARS = 16 * 1024;
const BLOCK_CHARS = 4 * 1024;
const encoder = new TextEncoder();

/** A command attached to this terminal (`-i`): what the learner types goes to it, and with `-t` the terminal's size. */
interface Attached {
  mode: AttachMode;
  stdin: PushQueue<Uint8Array>;
  sizes: PushQueue<TerminalSize>;
  /** With `-t`: the terminal emulator its pty's output is drawn on (absent if it could not be loaded). */
  view: TtyView | undefined;
  /** Shows a typed line where the command's output goes: a pipe does not echo, the learner's own terminal does. */
  echo(text: string): void;
  detach(): Promise<void>;
}

/**
 * `<ll-terminal>`: a `docker …` prompt on the page's engine, with history (↑/↓), Tab
 * completion, Ctrl-C, and each Docker error explained in the learner's language
 * beside Docker's own English text. The output is a `role="log"` live region.
 */
export class TerminalElement extends HTMLElement {
  private labels: Labels = {};
  private engine: HealingEngine | undefined;
  private output!: HTMLElement;
  /** Where a `-t` session's screen (tty-view.ts) is while it runs. */
  private ttyHost!: HTMLElement;
  private input!: HTMLInputElement;
  private status!: HTMLElement;
  private history: string[] = [];
  private historyIndex = 0;
  private draft = '';
  private queue: string[] = [];
  private running: AbortController | undefined;
  private attached: Attached | undefined;
  private draining: Promise<void> | undefined;
  private tabLeaves = false;
  private scrolling = false;
  /** The engine was replaced: the page's state is restored (the lesson's earlier steps) before the next command. */
  private needsReplay = false;
  private replaying = false;
  /** The line that found the server unreachable: "Try again" runs it. */
  private unsent: string | undefined;
  private banner!: HTMLElement;
  private offNotice: (() => void) | undefined;
  private pageTitle: string | undefined;
  /**
   * Where the engine comes from: the page's one engine, unless an embed (`src/embed/`, one
   * engine per widget) gives the terminal its own before it is connected.
   */
  engineFrom: () => Promise<HealingEngine> = import.meta.env.LAYERLAB_EMBED ? noPageEngine : pageEngine;
  /**
   * `data-standalone` (an embed): the terminal is not one of a page's islands — it takes no
   * run events or session notices from the page, and asks itself, not the document, what
   * restores its state; several on one page never hear each other.
   */
  private get standalone(): boolean {
    return this.hasAttribute('data-standalone');
  }
  /** The language of the terminal's own notes: its nearest `lang` (an embed's), else the page's. */
  private get noteLang(): string {
    return this.closest('[lang]')?.getAttribute('lang') ?? document.documentElement.lang;
  }
  private readonly onRun = (event: Event) => {
    // Tap to run on a phone: the terminal sits below the text, so bring its output into view.
    const box = this.getBoundingClientRect();
    if (box.top > innerHeight || box.bottom < 0) this.scrollIntoView({ block: 'end', behavior: 'smooth' });
    void this.runCommands((event as CustomEvent<RunEventDetail>).detail.commands);
  };

  connectedCallback(): void {
    this.labels = readLabels(this);
    this.output = this.querySelector('[data-output]')!;
    this.ttyHost = this.querySelector('[data-tty]')!;
    this.input = this.querySelector('input')!;
    this.status = this.querySelector('[data-status]')!;
    this.banner = this.querySelector('[data-banner]')!;
    this.banner.querySelector('[data-retry]')!.addEventListener('click', () => {
      this.hideBanner();
      if (this.unsent !== undefined) void this.runCommands([this.unsent]);
      this.unsent = undefined;
    });
    this.banner.querySelector('[data-simulate]')!.addEventListener('click', () => {
      this.hideBanner();
      void this.engine?.useSimulator().catch(() => undefined);
    });
    if (!import.meta.env.LAYERLAB_EMBED && !this.standalone) this.offNotice = onSessionNotice((notice) => this.onNotice(notice));
    this.querySelector('form')!.addEventListener('submit', (event) => {
      event.preventDefault();
      const line = this.input.value;
      this.input.value = '';
      // While `docker run -i …` runs, a line is its input, not another command.
      if (this.attached) this.type(`${line}\n`);
      else void this.runCommands([line]);
    });
    this.input.addEventListener('keydown', (event) => this.onKey(event));
    this.input.addEventListener('input', () => (this.tabLeaves = false));
    if (!this.standalone) document.addEventListener(RUN_EVENT, this.onRun);
    this.say('terminal.loading');
    this.engineFrom().then(
      (engine) => {
        this.engine = engine;
        this.input.disabled = false;
        this.say('terminal.ready');
        void this.drain();
      },
      (err: unknown) => this.say('terminal.engineFailed', { message: err instanceof Error ? err.message : String(err) }),
    );
  }

  disconnectedCallback(): void {
    document.removeEventListener(RUN_EVENT, this.onRun);
    this.offNotice?.();
    this.running?.abort();
  }

  /** What happened to the page's session, told in the learner's language where the commands are. */
  onNotice(notice: SessionNotice): void {
    switch (notice.kind) {
      case 'renewed':
      case 'simulator':
      case 'reset':
      case 'resetByInstructor': {
        this.hideBanner();
        const line = REPLACED_NOTICE_LINES[notice.kind];
        this.notice(line.key);
        if (line.replays) {
          this.needsReplay = true;
          void this.drain();
        }
        return;
      }
      case 'unreachable':
        return this.showBanner('terminal.unreachable', {}, true);
      case 'expiring':
        if (!this.standalone) {
          this.pageTitle ??= document.title;
          document.title = `⏳ ${this.pageTitle}`;
        }
        return this.showBanner('terminal.expiring', { minutes: Math.max(1, Math.round(notice.msLeft / 60_000)) }, false);
      case 'back':
        if (this.pageTitle !== undefined) document.title = this.pageTitle;
        this.pageTitle = undefined;
        return this.hideBanner();
    }
  }

  private showBanner(key: string, params: Record<string, string | number>, actions: boolean): void {
    this.banner.querySelector('[data-banner-text]')!.textContent = format(this.labels, key, params);
    for (const button of this.banner.querySelectorAll<HTMLElement>('button')) button.hidden = !actions;
    this.banner.querySelector<HTMLElement>('[data-simulate]')!.hidden = !actions || !this.engine?.canSimulate;
    this.banner.hidden = false;
  }

  private hideBanner(): void {
    this.banner.hidden = true;
  }

  /** A line in the log from the page itself (not a command's output), in the learner's language. */
  private notice(key: string): void {
    const p = this.print('p', 'notice', format(this.labels, key));
    p.lang = this.noteLang;
  }

  /** Runs what restores the page's state on a new engine: the islands say what (catch-up-event.ts). */
  private async replay(): Promise<void> {
    const detail: CatchUpDetail = { commands: [], ready: [] };
    (this.standalone ? this : document).dispatchEvent(new CustomEvent<CatchUpDetail>(CATCH_UP_EVENT, { detail }));
    await Promise.allSettled(detail.ready);
    this.replaying = true;
    try {
      for (const command of detail.commands) await this.execute(command);
    } finally {
      this.replaying = false;
    }
  }

  /** Runs command lines one after another, as if typed; resolves when all have run. */
  runCommands(lines: string[]): Promise<void> {
    const commands = lines.map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
    this.queue.push(...commands);
    for (const c of commands) if (this.history.at(-1) !== c) this.history.push(c);
    this.historyIndex = this.history.length;
    return this.drain();
  }

  private drain(): Promise<void> {
    if (!this.engine || (this.queue.length === 0 && !this.needsReplay)) return this.draining ?? Promise.resolve();
    this.draining ??= (async () => {
      // The first await comes before the clean-up, so `draining` is set when it is cleared.
      await Promise.resolve();
      while (this.queue.length > 0 || this.needsReplay) {
        if (this.needsReplay) {
          this.needsReplay = false;
          await this.replay();
        } else await this.execute(this.queue.shift()!);
      }
      this.draining = undefined;
    })();
    return this.draining;
  }

  private async execute(line: string): Promise<void> {
    // A shell's `clear` (and Ctrl-L): the screen is emptied, the history kept.
    if (line === 'clear') return this.clear();
    const engine = this.engine!;
    this.print('div', 'cmd', `$ ${line}`);
    let out: HTMLElement | undefined;
    let err: HTMLElement | undefined;
    let errs: HTMLElement[] | undefined;
    let outChars = 0;
    let errChars = 0;
    let streamed = false;
    // Loaded with the first command, not with the page: attach-mode reads the line with the
    // engine's own parser, whose command table brings the whole CLI — in an embed's entry chunk
    // that was most of its weight (issue 15); by the first command the engine is loaded anyway.
    const mode = (await import('../client/attach-mode.js')).attachMode(line);
    // Written once per frame, whatever the number of chunks, and a bounded amount a frame: a long output never freezes the page.
    const pace: OutputBatchOptions = {
      limit: MAX_SHOWN_CHARS,
      perFrame: FRAME_CHARS,
      perWrite: BLOCK_CHARS,
      afterFrame: () => this.scrollToEnd(),
    };
    const batch = new OutputBatch((stream, text) => {
      if (stream === 'stdout') {
        // A new block every so often: the browser then lays out what was added, not the whole output again.
        if (out && outChars > BLOCK_CHARS) out = undefined;
        if (!out) {
          out = this.print('pre', 'out', '');
          outChars = 0;
        }
        outChars += text.length;
        out.append(text);
      } else {
        // Docker's CLI writes progress (a build's steps) to stderr: not an error unless the command fails.
        if (err && errChars > BLOCK_CHARS) {
          (errs ??= []).push(err);
          err = undefined;
        }
        if (!err) {
          err = this.print('pre', 'stderr', '');
          errChars = 0;
        }
        errChars += text.length;
        err.append(text);
      }
    }, pace);
    this.running = new AbortController();
    this.say('terminal.running');
    // (`stdout` is called only once the command runs: the echo of a line typed into it.)
    const attached = mode.stdin ? await this.attach(mode, (text) => stdout(text)) : undefined;
    const view = attached?.view;
    const stdout = (text: string) => {
      streamed = true;
      // A pty's output is a screen (cursor addressing, erases, the alternate screen): the
      // emulator draws it, with its own bounded scrollback, not the log's output cap.
      if (view) view.write(text);
      else batch.push('stdout', text);
    };
    const result = await engine
      .exec(line, {
        signal: this.running.signal,
        stdout,
        stderr: (text) => {
          streamed = true;
          batch.push('stderr', text);
        },
        ...(attached ? { stdin: attached.stdin, resize: attached.sizes } : {}),
      })
      .catch((e: unknown) => e);
    await attached?.detach();
    this.running = undefined;
    this.status.textContent = '';
    if (result instanceof SessionRenewed) {
      // The command never ran: it runs again once the new session is restored (onNotice).
      if (!this.replaying) this.queue.unshift(line);
      return;
    }
    if (result instanceof SandboxUnreachable) {
      // Nothing more runs until the learner chooses: try again, or the simulator.
      this.unsent = line;
      this.queue = [];
      return;
    }
    if (!isResult(result)) {
      await batch.end();
      this.print('pre', 'err', `${result instanceof Error ? result.message : String(result)}\n`);
      return;
    }
    // The Engine API both streams and returns output; print the returned text only if nothing streamed.
    if (!streamed) {
      if (result.stdout) batch.push('stdout', result.stdout);
      if (result.stderr) batch.push('stderr', result.stderr);
    }
    await batch.end({ cutUpstream: result.truncated === true });
    if (result.exitCode !== 0) for (const block of [...(errs ?? []), ...(err ? [err] : [])] as HTMLElement[]) block.classList.add('err');
    if (batch.truncated) this.print('p', 'notice', cutNote(this.labels, batch)).lang = this.noteLang;
    if (result.exitCode !== 0 && 'error' in result && result.error) this.explain(result.error.code);
  }

  /**
   * Attaches the learner's keys to the command; with `-t` the keys and the size in cells
   * are the terminal emulator's (`tty-view.ts`, loaded now: a page that never runs `-it`
   * never fetches it), sent at once and whenever it is resized, as Docker's CLI does.
   */
  private async attach(mode: AttachMode, show: (text: string) => void): Promise<Attached> {
    const stdin = new PushQueue<Uint8Array>();
    const sizes = new PushQueue<TerminalSize>({ keep: 'latest' });
    const view = mode.tty ? await this.openTty(stdin, sizes) : undefined;
    const attached: Attached = {
      mode,
      stdin,
      sizes,
      view,
      echo: (text) => (mode.tty ? undefined : show(text)),
      detach: async () => {
        stdin.end();
        sizes.end();
        if (this.attached === attached) this.attached = undefined;
        if (!view) return;
        // The session's screen stays in the log as text; the emulator goes.
        const focused = view.hasFocus();
        const text = await view.close();
        this.ttyHost.replaceChildren();
        this.ttyHost.hidden = true;
        this.removeAttribute('data-tty-open');
        if (text) this.print('pre', 'out', text);
        if (focused) this.input.focus();
      },
    };
    this.attached = attached;
    return attached;
  }

  private async openTty(stdin: PushQueue<Uint8Array>, sizes: PushQueue<TerminalSize>): Promise<TtyView | undefined> {
    let openTtyView;
    try {
      ({ openTtyView } = await import('../client/tty-view.js'));
    } catch (err) {
      // Without the emulator the session still runs; its output is shown as plain text.
      this.print('pre', 'err', `${err instanceof Error ? err.message : String(err)}\n`);
      return undefined;
    }
    this.ttyHost.hidden = false;
    this.setAttribute('data-tty-open', '');
    const view = openTtyView(this.ttyHost, {
      label: format(this.labels, 'terminal.screen'),
      onData: (data) => stdin.push(encoder.encode(data)),
      onResize: (size) => sizes.push(size),
    });
    this.ttyHost.scrollIntoView({ block: 'nearest' });
    view.focus();
    return view;
  }

  /** What the learner types goes to the attached command; a pty echoes it itself. */
  private type(text: string): void {
    this.attached?.echo(text);
    this.attached?.stdin.push(encoder.encode(text));
  }

  /** The engine's typed error explained in the page's language (`error.<CODE>`), beside Docker's English. */
  private explain(code: string): void {
    const text = this.labels[`error.${code}`];
    if (!text) return;
    const p = this.print('p', 'explain', '');
    p.lang = this.noteLang;
    const label = document.createElement('strong');
    label.textContent = `${format(this.labels, 'terminal.explain')}: `;
    p.append(label, text);
  }

  private onKey(event: KeyboardEvent): void {
    if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
      event.preventDefault();
      this.browseHistory(event.key === 'ArrowUp' ? -1 : 1);
    } else if (event.key === 'Tab' && !event.shiftKey && !this.tabLeaves && this.input.value.trim() !== '') {
      // Tab completes while there is something to complete; Esc then Tab leaves the terminal (no keyboard trap).
      event.preventDefault();
      void this.completeLine();
    } else if (event.key === 'l' && event.ctrlKey && !this.attached) {
      event.preventDefault();
      this.clear();
    } else if (event.key === 'Escape') {
      this.tabLeaves = true;
    } else if (event.key === 'c' && event.ctrlKey && this.input.selectionStart === this.input.selectionEnd) {
      event.preventDefault();
      // On a pty Ctrl-C is a byte, as from Docker's CLI in raw mode: the container's terminal makes it SIGINT.
      if (this.attached?.mode.tty) {
        this.input.value = '';
        this.type('\x03');
      } else this.interrupt();
    } else if (event.key === 'd' && event.ctrlKey && this.attached && this.input.value === '') {
      // Ctrl-D on an empty line: end of input.
      event.preventDefault();
      this.attached.stdin.end();
    }
  }

  /** Ctrl-C: stops the running command and what was queued, or drops the line being typed. */
  private interrupt(): void {
    if (this.running) {
      this.queue = [];
      this.running.abort();
      this.print('div', 'cmd', '^C');
    } else {
      this.print('div', 'cmd', `$ ${this.input.value}^C`);
      this.input.value = '';
    }
  }

  private clear(): void {
    this.output.replaceChildren();
  }

  private browseHistory(direction: -1 | 1): void {
    if (this.historyIndex === this.history.length) this.draft = this.input.value;
    this.historyIndex = Math.max(0, Math.min(this.history.length, this.historyIndex + direction));
    this.input.value = this.historyIndex === this.history.length ? this.draft : this.history[this.historyIndex]!;
    const end = this.input.value.length;
    this.input.setSelectionRange(end, end);
  }

  private async completeLine(): Promise<void> {
    if (!this.engine) return;
    const line = this.input.value;
    // Loaded on the first Tab: completion reads the engine's whole command table (see execute).
    const { complete, commonPrefix } = await import('../client/completion.js');
    const { start, candidates } = complete(line, namesOf(await this.engine.state()));
    if (this.input.value !== line || candidates.length === 0) return;
    const word = line.slice(start);
    if (candidates.length === 1) this.input.value = `${line.slice(0, start)}${candidates[0]} `;
    else {
      const prefix = commonPrefix(candidates);
      if (prefix.length > word.length) this.input.value = line.slice(0, start) + prefix;
      else this.say('terminal.candidates', { list: candidates.join('  ') });
    }
  }

  private print(tag: string, className: string, text: string): HTMLElement {
    const node = document.createElement(tag);
    node.className = className;
    node.textContent = text;
    this.output.append(node);
    while (this.output.childElementCount > MAX_OUTPUT_NODES) this.output.firstElementChild!.remove();
    this.scrollToEnd();
    return node;
  }

  /** To the end, once a frame after that frame's writes: one layout a frame however many blocks were added. */
  private scrollToEnd(): void {
    if (this.scrolling) return;
    this.scrolling = true;
    requestAnimationFrame(() => {
      this.scrolling = false;
      this.output.scrollTop = this.output.scrollHeight;
    });
  }

  private say(key: string, params: Record<string, string | number> = {}): void {
    this.status.textContent = format(this.labels, key, params);
  }
}

function isResult(value: unknown): value is CommandResult {
  return typeof value === 'object' && value !== null && 'exitCode' in value;
}

function namesOf(state: StateSnapshot): CompletionNames {
  return {
    // Docker: `busybox` and `busybox:latest` name the same image; offer both spellings.
    images: state.images.flatMap((i) => i.repoTags.flatMap((t) => (t.endsWith(':latest') ? [t, t.slice(0, -':latest'.length)] : [t]))),
    containers: state.containers.map((c) => c.name.replace(/^\//, '')),
  };
}

if (!customElements.get('ll-terminal')) customElements.define('ll-terminal', TerminalElement);
