/**
 * What a pty's output looks like on a terminal, kept as text for a `<pre>`: "\r\n" ends a
 * line, a lone "\r" goes back to the line's start to overwrite it (busybox's line editor
 * redraws its prompt so), "\b" steps back, and the CSI sequences a shell writes are
 * obeyed where they erase (`ESC [ J`, `ESC [ K`) and otherwise dropped — among them the
 * cursor-position query `ESC [ 6 n`, which a page has no cursor to answer.
 */
export class TtyScreen {
  private done = '';
  private line = '';
  private col = 0;
  private partial = '';

  get text(): string {
    return this.done + this.line;
  }

  write(chunk: string): void {
    const s = this.partial + chunk;
    this.partial = '';
    for (let i = 0; i < s.length; i++) {
      const ch = s[i]!;
      if (ch === '\x1b') {
        // After ESC: `[`, parameter bytes, intermediate bytes, one final byte (ECMA-48 CSI).
        const rest = s.slice(i + 1, i + 32);
        const csi = /^\[([0-?]*)[ -/]*([@-~])/.exec(rest);
        if (csi) {
          if (csi[2] === 'J' || csi[2] === 'K') this.line = this.line.slice(0, this.col);
          i += csi[0].length;
        } else if (rest === '' || /^\[[0-?]*[ -/]*$/.test(s.slice(i + 1))) {
          // Cut between two chunks: the rest of the sequence comes with the next one.
          this.partial = s.slice(i);
          return;
        } else i++;
      } else if (ch === '\n') {
        this.done += `${this.line}\n`;
        this.line = '';
        this.col = 0;
      } else if (ch === '\r') this.col = 0;
      else if (ch === '\b') this.col = Math.max(0, this.col - 1);
      else if (ch >= ' ' || ch === '\t') {
        this.line = this.line.slice(0, this.col) + ch + this.line.slice(this.col + 1);
        this.col++;
      }
    }
  }
}
