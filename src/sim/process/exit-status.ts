import type { AppletContext } from './context.js';
import { BrokenPipe } from './pipe.js';
import { Killed, type SimProcess } from './process-table.js';
import { raceAbort } from './race-abort.js';

/** The status a process ends with for an exception: a kill or a broken pipe becomes what Linux would report. */
export function statusOfError(e: unknown, ctx: AppletContext): number {
  if (e instanceof Killed) return 128 + e.signo;
  if (ctx.signal.aborted && ctx.signal.reason instanceof Killed) return 128 + ctx.signal.reason.signo;
  if (e instanceof BrokenPipe) return 141;
  throw e;
}

/** A process's status: its program's, or 128 + n as soon as signal n kills it, whatever it awaits. */
export function untilKilled(run: Promise<number>, proc: SimProcess): Promise<number> {
  const signal = proc.signal;
  return raceAbort(signal, run, () => 128 + (signal.reason instanceof Killed ? signal.reason.signo : 9));
}
