export type Stream = 'stdout' | 'stderr';

/** What a command's output lost to the terminal's cap. */
export interface Cut {
  lines: number;
  chars: number;
}

/**
 * A command's output on its way to the page: chunks are gathered and handed on once per
 * animation frame (a command printing 200,000 lines in small chunks would otherwise touch
 * the DOM 200,000 times), and at most `limit` characters are shown, cut at the end of a
 * line; what is cut after that is counted for the note the terminal ends the output with.
 */
export class OutputBatch {
  private pending: { stream: Stream; text: string }[] = [];
  private shown = 0;
  private full = false;
  private scheduled = false;
  readonly cut: Cut = { lines: 0, chars: 0 };

  constructor(
    private readonly write: (stream: Stream, text: string) => void,
    private readonly limit: number,
    private readonly schedule: (flush: () => void) => void = (f) => void requestAnimationFrame(f),
  ) {}

  push(stream: Stream, text: string): void {
    if (this.full) return this.count(text);
    const last = this.pending.at(-1);
    if (last?.stream === stream) last.text += text;
    else this.pending.push({ stream, text });
    if (!this.scheduled) {
      this.scheduled = true;
      this.schedule(() => this.flush());
    }
  }

  /** Writes what is pending now (each frame, and once more when the command ends). */
  flush(): void {
    this.scheduled = false;
    const pending = this.pending;
    this.pending = [];
    for (const { stream, text } of pending) {
      if (this.full) {
        this.count(text);
        continue;
      }
      const room = this.limit - this.shown;
      if (text.length <= room) {
        this.shown += text.length;
        this.write(stream, text);
        continue;
      }
      // Past the cap: up to the last whole line that fits, the rest counted.
      const end = text.lastIndexOf('\n', room - 1) + 1;
      if (end > 0) this.write(stream, text.slice(0, end));
      this.full = true;
      this.count(text.slice(end));
    }
  }

  get truncated(): boolean {
    return this.full;
  }

  private count(text: string): void {
    this.cut.chars += text.length;
    let n = 0;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
    this.cut.lines += n;
  }
}
