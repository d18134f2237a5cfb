import type { CommandError, CommandResult, TerminalSize } from '../../src/engine/engine.js';
import type { Session } from './session.js';
import { SessionBusy, SessionClosed } from './session-errors.js';
import { inSession } from './session-scope.js';

export interface CommandIO {
  /** Streams output as it is produced (bounded like the returned output). */
  stdout?(text: string): void;
  stderr?(text: string): void;
  stdin?: AsyncIterable<Uint8Array>;
  /** The learner's terminal size as it changes (a `-t` process's pty follows it). */
  resize?: AsyncIterable<TerminalSize>;
  /** The learner's Ctrl-C. */
  signal?: AbortSignal;
  /** Attached to a terminal: gets the interactive wall-clock limit. */
  interactive?: boolean;
}

export interface CommandOutcome {
  stdout: string;
  stderr: string;
  /** null when the command did not finish within the limit and its grace period. */
  exitCode: number | null;
  /** Output passed `maxOutputBytes`: the rest was dropped and the command interrupted. */
  truncated: boolean;
  /** The wall-clock limit ran out and the command was interrupted. */
  timedOut: boolean;
  /** The engine's typed error, when the command failed with one (`CONTAINER_LIMIT`, `NO_SUCH_CONTAINER`…). */
  error?: CommandError;
}

/**
 * Runs one command line in a session's engine within the session's limits: a bounded
 * number at a time, a wall-clock limit (then Ctrl-C, as a
 * learner would press it) and bounded output.
 */
export async function runSessionCommand(session: Session, commandLine: string, io: CommandIO, now: () => number): Promise<CommandOutcome> {
  const { limits } = session;
  if (session.closed) throw new SessionClosed('the session was closed');
  if (session.runningCommands >= limits.maxConcurrentCommands) {
    throw new SessionBusy(`this session is already running ${limits.maxConcurrentCommands} commands; wait for one to finish`);
  }
  // The container and build limits are the engine's (`engineLimits`), checked on the parsed command.

  const interrupt = new AbortController();
  const untrack = session.track(interrupt);
  const onLearnerInterrupt = () => interrupt.abort(io.signal?.reason);
  if (io.signal?.aborted) onLearnerInterrupt();
  io.signal?.addEventListener('abort', onLearnerInterrupt, { once: true });

  let timedOut = false;
  let truncated = false;
  let kept = 0;
  const out = { stdout: '', stderr: '' };
  const capture = (stream: 'stdout' | 'stderr') => (text: string) => {
    if (truncated) return;
    const bytes = Buffer.byteLength(text);
    let piece = text;
    if (kept + bytes > limits.maxOutputBytes) {
      piece = truncateUtf8(text, limits.maxOutputBytes - kept);
      truncated = true;
    }
    kept += Buffer.byteLength(piece);
    out[stream] += piece;
    if (piece) io[stream]?.(piece);
    // Like a closed pipe: a command whose output nobody will read is stopped.
    if (truncated) interrupt.abort(new Error('output limit reached'));
  };

  const timeoutMs = io.interactive ? limits.interactiveTimeoutMs : limits.commandTimeoutMs;
  const timer = setTimeout(() => {
    timedOut = true;
    interrupt.abort(new Error('time limit reached'));
  }, timeoutMs);

  session.touch(now());
  // In the session's scope: whatever this command starts (a detached container's runtime
  // and its stream handlers too) is this session's work to the last-resort handler.
  const running: Promise<CommandResult> = inSession(session, () =>
    session.engine.exec(commandLine, {
      stdout: capture('stdout'),
      stderr: capture('stderr'),
      stdin: io.stdin,
      ...(io.resize ? { resize: io.resize } : {}),
      signal: interrupt.signal,
    }),
  );
  // The engine's promise is ours to settle even when we stop waiting for it.
  running.catch(() => undefined);

  try {
    const result = await untilInterruptedAndGrace(running, interrupt.signal, limits.interruptGraceMs);
    if (result === undefined) return { ...out, exitCode: null, truncated, timedOut };
    const error = result.error ? { error: result.error } : {};
    if (truncated || timedOut) return { ...out, exitCode: result.exitCode, truncated, timedOut, ...error };
    // Docker: the CLI's output is the engine's; the streamed copy is only for live display.
    return {
      stdout: truncateUtf8(result.stdout, limits.maxOutputBytes),
      stderr: truncateUtf8(result.stderr, Math.max(0, limits.maxOutputBytes - Buffer.byteLength(result.stdout))),
      exitCode: result.exitCode,
      truncated: Buffer.byteLength(result.stdout) + Buffer.byteLength(result.stderr) > limits.maxOutputBytes,
      timedOut,
      ...error,
    };
  } finally {
    clearTimeout(timer);
    io.signal?.removeEventListener('abort', onLearnerInterrupt);
    // A command that ignores its interrupt still counts against the session until it ends.
    void running.finally(untrack).catch(() => undefined);
    session.touch(now());
  }
}

/** The result, or undefined when the command was interrupted and did not end within `graceMs`. */
function untilInterruptedAndGrace<T>(running: Promise<T>, interrupted: AbortSignal, graceMs: number): Promise<T | undefined> {
  return new Promise<T | undefined>((resolve, reject) => {
    let grace: ReturnType<typeof setTimeout> | undefined;
    const startGrace = () => {
      grace = setTimeout(() => resolve(undefined), graceMs);
    };
    if (interrupted.aborted) startGrace();
    else interrupted.addEventListener('abort', startGrace, { once: true });
    running.then(
      (value) => {
        clearTimeout(grace);
        interrupted.removeEventListener('abort', startGrace);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(grace);
        interrupted.removeEventListener('abort', startGrace);
        reject(error);
      },
    );
  });
}

/** The longest prefix of `text` that fits in `maxBytes` of UTF-8, never splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.byteLength <= maxBytes) return text;
  let end = Math.max(0, maxBytes);
  // UTF-8: continuation bytes are 10xxxxxx; back up to the start of the character cut in two.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString('utf8');
}
