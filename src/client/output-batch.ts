export type Stream = 'stdout' | 'stderr';

/** What a command's output lost to the terminal's cap (and the server's). */
export interface Cut {
  lines: number;
  chars: number;
}

export interface OutputBatchOptions {
  /** At most this many characters of a command's output are shown, cut at the end of a line. */
  limit: number;
  /**
   * At most this many characters are written in one frame: the browser lays out what was
   * written before it paints, and 512 KiB in one go is a task of a second or more.
   */
  perFrame: number;
  /**
   * A frame that came more than `slowFrameMs` after the one before (the layout of what that
   * one wrote took long: a slow or busy machine) halves the next frames' budget, down to an
   * eighth of `perFrame`; a quick one doubles it again, up to `perFrame`.
   */
  slowFrameMs?: number;
  /**
   * The writer gets at most this many characters at a time (whole lines): the terminal puts
   * each piece in a block of its own, and a block that grows is laid out again whole.
   */
  perWrite?: number;
  /** Called once per frame, after that frame's writes (the terminal scrolls to the end there: one layout a frame). */
  afterFrame?: () => void;
  /** Runs `frame` at the next animation frame, with the frame's time (requestAnimationFrame's). */
  schedule?: (frame: (now?: number) => void) => void;
}

interface Segment {
  stream: Stream;
  text: string;
}

/**
 * A command's output on its way to the page. Chunks are gathered and written once per
 * animation frame, at most `perFrame` characters a frame and on line ends, so a command
 * printing 200,000 lines never holds the main thread for long. At most `limit`
 * characters are accepted, cut at the end of a line; what comes after is counted for the
 * note the terminal ends the output with. A line is written once it is whole, or once its
 * stream has paused for a frame (a prompt with no newline), or when the command ends.
 */
export class OutputBatch {
  private pending: Segment[] = [];
  private accepted = 0;
  private full = false;
  private scheduled = false;
  private ending = false;
  /** The last segment and its length when a frame held its unfinished line back. */
  private held: { segment: Segment; length: number } | undefined;
  private drained: (() => void) | undefined;
  private readonly schedule: (frame: (now?: number) => void) => void;
  private budget: number;
  /** The time of the last frame, while frames follow one another. */
  private lastFrameAt: number | undefined;
  private cutChars = 0;
  private cutNewlines = 0;
  /** What was cut so far ends in the middle of a line: that line counts too. */
  private cutOpenLine = false;
  /** The command's output was cut before it reached the page (the sandbox server's cap). */
  cutUpstream = false;

  constructor(
    private readonly write: (stream: Stream, text: string) => void,
    private readonly options: OutputBatchOptions,
  ) {
    this.schedule = options.schedule ?? ((f) => void requestAnimationFrame(f));
    this.budget = options.perFrame;
  }

  push(stream: Stream, text: string): void {
    if (this.full || this.ending) return this.count(text);
    const room = this.options.limit - this.accepted;
    if (text.length > room) {
      // Past the cap: up to the last whole line that fits, the rest counted.
      const end = text.lastIndexOf('\n', room - 1) + 1;
      // No whole line of this chunk fits: the line it continues is cut too.
      if (end === 0) this.dropUnfinishedLine();
      this.count(text.slice(end));
      text = text.slice(0, end);
      this.full = true;
    }
    this.accepted += text.length;
    if (text !== '') {
      const last = this.pending.at(-1);
      if (last?.stream === stream) last.text += text;
      else this.pending.push({ stream, text });
    }
    this.wake();
  }

  /**
   * The command ended: what is accepted is written in the frames to come, and the promise
   * settles once it is. `cutUpstream`: the output was cut on its way (mid-line, by bytes),
   * so its unfinished last line is counted as cut, not shown.
   */
  end(options: { cutUpstream?: boolean } = {}): Promise<void> {
    this.ending = true;
    if (options.cutUpstream) {
      this.cutUpstream = true;
      this.dropUnfinishedLine();
    }
    if (this.pending.length === 0) return Promise.resolve();
    this.wake();
    return new Promise((resolve) => (this.drained = resolve));
  }

  /** A frame: at most the frame's budget of characters, whole lines, from the oldest output on. */
  frame(now?: number): void {
    this.scheduled = false;
    this.pace(now);
    let budget = this.budget;
    const perWrite = this.options.perWrite ?? this.options.perFrame;
    let wrote = false;
    while (this.pending.length > 0 && budget > 0) {
      const segment = this.pending[0]!;
      const isLast = this.pending.length === 1;
      // The stream's unfinished last line waits for its end, unless the stream paused on it a whole frame.
      const paused = this.held?.segment === segment && this.held.length === segment.text.length;
      const whole = isLast && !this.ending && !paused ? segment.text.lastIndexOf('\n') + 1 : segment.text.length;
      if (whole === 0) break;
      let n = Math.min(whole, budget, perWrite);
      if (n < whole) {
        const lineEnd = segment.text.lastIndexOf('\n', n - 1) + 1;
        // A line longer than a frame's budget is written in pieces: each frame must make progress.
        if (lineEnd > 0) n = lineEnd;
        else if (budget < perWrite && wrote) break;
      }
      this.write(segment.stream, segment.text.slice(0, n));
      wrote = true;
      budget -= n;
      segment.text = segment.text.slice(n);
      if (segment.text === '') this.pending.shift();
    }
    const last = this.pending.at(-1);
    this.held = last && this.pending.length === 1 && !last.text.includes('\n') ? { segment: last, length: last.text.length } : undefined;
    if (wrote) this.options.afterFrame?.();
    if (this.pending.length > 0) this.wake();
    else this.lastFrameAt = undefined;
    if (this.pending.length === 0 && this.drained) {
      const drained = this.drained;
      this.drained = undefined;
      drained();
    }
  }

  get cut(): Cut {
    return { lines: this.cutNewlines + (this.cutOpenLine ? 1 : 0), chars: this.cutChars };
  }

  get truncated(): boolean {
    return this.full || this.cutUpstream;
  }

  private wake(): void {
    if (this.scheduled || this.pending.length === 0) return;
    this.scheduled = true;
    this.schedule((now) => this.frame(now));
  }

  /** The frame budget after the last frame's pace: the time between frames is what the page took to lay out and paint. */
  private pace(now: number | undefined): void {
    if (now === undefined) return;
    const { perFrame, slowFrameMs = 40 } = this.options;
    if (this.lastFrameAt !== undefined) {
      const gap = now - this.lastFrameAt;
      if (gap > slowFrameMs) this.budget = Math.max(Math.ceil(perFrame / 8), Math.floor(this.budget / 2));
      else if (gap < slowFrameMs / 2) this.budget = Math.min(perFrame, this.budget * 2);
    }
    this.lastFrameAt = now;
  }

  /** The accepted output's unfinished last line, not yet written, is cut with what follows it. */
  private dropUnfinishedLine(): void {
    const last = this.pending.at(-1);
    if (!last) return;
    const end = last.text.lastIndexOf('\n') + 1;
    this.count(last.text.slice(end));
    this.accepted -= last.text.length - end;
    last.text = last.text.slice(0, end);
    if (last.text === '') this.pending.pop();
  }

  private count(text: string): void {
    if (text === '') return;
    this.cutChars += text.length;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.cutNewlines++;
    this.cutOpenLine = !text.endsWith('\n');
  }
}
