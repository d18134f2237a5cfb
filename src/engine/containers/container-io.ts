import type { ProcessIO } from '../drivers/runtime.js';
import type { ContainerRecord } from './container-record.js';

/**
 * A container's init process's streams: its output kept for `docker logs` (`c.logs`) and
 * copied to the clients attached (`c.sinks`), its input the attached client's.
 * `fail` reports what went wrong there: the runtime's stream handlers call `write`, and a
 * throw would escape to the process.
 */
export function initIO(c: ContainerRecord, stdin: AsyncIterable<Uint8Array> | undefined, fail: (error: unknown) => void): ProcessIO {
  const write = (stream: 'stdout' | 'stderr') => (chunk: Uint8Array) => {
    try {
      // Docker: with a tty both streams are one (the pty's).
      const s = c.config.tty ? 'stdout' : stream;
      const text = c.logs.write(s, chunk);
      if (text !== '') for (const sink of c.sinks) sink[s](text);
    } catch (error) {
      fail(error);
    }
  };
  return { stdout: write('stdout'), stderr: write('stderr'), ...(stdin ? { stdin } : {}) };
}

/** The client's terminal was resized: the running init's pty (`-t`) follows, where the runtime has one. */
export async function resizeInit(c: ContainerRecord, cols: number, rows: number): Promise<void> {
  await c.handle?.resize?.(cols, rows);
}
