import type { ProcessTable, SimProcess } from './process-table.js';

const CTRL_C = 0x03;
const SIGINT = 2;

/**
 * A pty's input side for a `-t` process: read at once (a terminal takes keys while the
 * shell is busy running `sleep`), with the line discipline's ISIG — ^C is not input but
 * SIGINT to the foreground job, echoed as "^C". The foreground job is taken to be the
 * newest live process below the tty's own (the simulator has no process groups); with
 * none, the shell is at its prompt, and ash ignores SIGINT there.
 */
export function ttyInput(
  source: AsyncIterable<Uint8Array>,
  owner: SimProcess,
  processes: ProcessTable,
  echo: (text: string) => void,
): AsyncIterable<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  void (async () => {
    try {
      for await (const chunk of source) {
        let from = 0;
        for (let i = 0; i < chunk.length; i++) {
          if (chunk[i] !== CTRL_C) continue;
          if (i > from) chunks.push(chunk.subarray(from, i));
          from = i + 1;
          echo('^C\n');
          foreground(owner, processes)?.deliver(SIGINT);
        }
        if (from < chunk.length) chunks.push(chunk.subarray(from));
        notify();
      }
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
