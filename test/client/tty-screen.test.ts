import { describe, expect, it } from 'vitest';
import { TtyScreen } from '../../src/client/tty-screen.js';

const shown = (...chunks: string[]) => {
  const screen = new TtyScreen();
  for (const c of chunks) screen.write(c);
  return screen.text;
};

describe("TtyScreen: a pty's output as a terminal shows it", () => {
  it('shows busybox sh on a pty (recorded from `docker run -it busybox sh` on Docker 20.10) as the learner saw it', () => {
    const recorded = '/ # \u001b[6n\r/ # \u001b[Jtty; test -t 0 && echo yes; stty size\r\n/dev/pts/0\r\nyes\r\n24 80\r\n/ # \u001b[6nexit 3\r\n';
    expect(shown(recorded)).toBe('/ # tty; test -t 0 && echo yes; stty size\n/dev/pts/0\nyes\n24 80\n/ # exit 3\n');
  });

  it('keeps a sequence cut between two chunks whole', () => {
    expect(shown('/ # \u001b', '[6n\r/ # \u001b[', 'Jls\r\n')).toBe('/ # ls\n');
  });

  it('overwrites after a lone carriage return and steps back on backspace; ^C stays visible', () => {
    expect(shown('50%\r100%\r\n', 'ab\bc\r\n', 'sleep 100\r\n^C\r\n/ # ')).toBe('100%\nac\nsleep 100\n^C\n/ # ');
  });
});
