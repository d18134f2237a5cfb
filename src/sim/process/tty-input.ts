import type { ProcessTable, SimProcess } from './process-table.js';
import { TTY_EOF } from './streams.js';

const SIGINT = 2;

/**
 * A pty's input side for a `-t` process, in the line discipline's canonical mode (Linux
 * n_tty with Docker's default termios: ICANON ECHO ECHOE ECHOK ECHOCTL ISIG ICRNL IUTF8):
 * keys are read at once (a terminal takes keys while the shell is busy running `sleep`),
 * echoed as they come, edited (erase, ^U, ^W) and handed to the reader a line at a time.
 * Enter's "\r" becomes "\n"; ^D on an empty line is end of file once; ^C is not input but
 * SIGINT to the foreground job, echoed as "^C" and dropping the line being typed. The
 * foreground job is taken to be the newest live process below the tty's own (the simulator
 * has no process groups); with none, the tty's own process gets it — an interactive shell
 * catches it at its prompt, an init without a handler ignores it.
 * Escape sequences (arrow and function keys) are dropped: the simulator's shell has no
 * line editor of its own to give them a meaning.
 */
export function ttyInput(
  source: AsyncIterable<Uint8Array>,
  owner: SimProcess,
  processes: ProcessTable,
  echo: (text: string) => void,
): AsyncIterable<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const encoder = new TextEncoder();
  let ended = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const discipline = new LineDiscipline({
    echo,
    line: (text) => {
      chunks.push(text === '' ? TTY_EOF : encoder.encode(text));
      notify();
    },
    interrupt: () => (foreground(owner, processes) ?? owner).deliver(SIGINT),
  });
  void (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of source) discipline.keys(decoder.decode(chunk, { stream: true }));
    } finally {
      ended = true;
      notify();
    }
  })().catch(() => undefined);
  return {
    async *[Symbol.asyncIterator]() {
      for (;;) {
        const chunk = chunks.shift();
        if (chunk) yield chunk;
        else if (ended) return;
        else await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
}

interface LineDisciplineIO {
  echo(text: string): void;
  /** A finished line ("\n" included), the text before ^D, or "" for end of file. */
  line(text: string): void;
  interrupt(): void;
}

/** n_tty's canonical mode over text (IUTF8: one erase takes one character, not one byte). */
export class LineDiscipline {
  private edit: string[] = [];
  /** The rest of an escape sequence being dropped. */
  private escape: '' | 'esc' | 'csi' | 'ss3' = '';

  constructor(private readonly io: LineDisciplineIO) {}

  keys(text: string): void {
    for (const ch of text) this.key(ch);
    // A terminal sends a key's sequence at once: an Escape alone at the end is the Escape key,
    // and what is typed next is a key of its own.
    if (this.escape === 'esc') this.escape = '';
  }

  private key(ch: string): void {
    if (this.escape !== '') return this.swallow(ch);
    switch (ch) {
      case '\x1b':
        this.escape = 'esc';
        return;
      case '\x03': // VINTR
        this.edit = [];
        this.io.echo('^C\n');
        return this.io.interrupt();
      case '\x04': {
        // VEOF: the line so far goes without a newline; on an empty line, end of file.
        const text = this.edit.join('');
        this.edit = [];
        return this.io.line(text);
      }
      case '\x7f': // VERASE (what a terminal's Backspace sends)
      case '\b':
        return this.erase(1);
      case '\x15': // VKILL (^U)
        return this.erase(this.edit.length);
      case '\x17': {
        // VWERASE (^W): the blanks before the cursor, then the word.
        let n = 0;
        while (n < this.edit.length && /\s/.test(this.edit[this.edit.length - 1 - n]!)) n++;
        while (n < this.edit.length && !/\s/.test(this.edit[this.edit.length - 1 - n]!)) n++;
        return this.erase(n);
      }
      case '\r': // ICRNL
      case '\n': {
        const text = `${this.edit.join('')}\n`;
        this.edit = [];
        this.io.echo('\n');
        return this.io.line(text);
      }
    }
    this.edit.push(ch);
    // ECHOCTL: a control character shows as ^X.
    this.io.echo(ch < ' ' && ch !== '\t' ? `^${String.fromCharCode(ch.charCodeAt(0) + 64)}` : ch);
  }

  /** ECHOE: each erased character is rubbed out on the screen, a wide one over its two columns. */
  private erase(count: number): void {
    let rub = '';
    for (let i = 0; i < count && this.edit.length > 0; i++) {
      const ch = this.edit.pop()!;
      const columns = ch < ' ' && ch !== '\t' ? 2 : columnsOf(ch);
      rub += '\b'.repeat(columns) + ' '.repeat(columns) + '\b'.repeat(columns);
    }
    if (rub) this.io.echo(rub);
  }

  /** ECMA-48: ESC [ parameters intermediates final, ESC O final, or ESC and one character. */
  private swallow(ch: string): void {
    if (this.escape === 'esc') this.escape = ch === '[' ? 'csi' : ch === 'O' ? 'ss3' : '';
    else if (this.escape === 'ss3' || (this.escape === 'csi' && ch >= '@' && ch <= '~')) this.escape = '';
  }
}

/** Columns a character takes on a terminal: East Asian wide ones (Hangul, CJK, fullwidth forms) take two. */
function columnsOf(ch: string): number {
  const c = ch.codePointAt(0)!;
  const wide =
    (c >= 0x1100 && c <= 0x115f) ||
    (c >= 0x2e80 && c <= 0xa4cf) ||
    (c >= 0xac00 && c <= 0xd7a3) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0xfe30 && c <= 0xfe4f) ||
    (c >= 0xff00 && c <= 0xff60) ||
    (c >= 0xffe0 && c <= 0xffe6) ||
    (c >= 0x1f300 && c <= 0x1faff) ||
    (c >= 0x20000 && c <= 0x3fffd);
  return wide ? 2 : 1;
}

function foreground(owner: SimProcess, processes: ProcessTable): SimProcess | undefined {
  const below = (p: SimProcess): boolean => {
    for (let q: SimProcess | undefined = p; q; q = q.ppid === q.pid ? undefined : processes.get(q.ppid)) if (q.ppid === owner.pid) return true;
    return false;
  };
  return processes
    .list()
    .filter((p) => p !== owner && below(p))
    .at(-1);
}
