import { Input } from '../process/streams.js';
import { spawnProcess } from '../process/fork.js';
import { raceAbort } from '../process/race-abort.js';
import { Killed } from '../process/process-table.js';
import type { AndOr } from './ast.js';
import type { Shell, ShellIO } from './interpreter.js';

/** A `&` job: its process's end, status and killing signal once known, and whether the
 * shell has reaped it (waitpid) — ash reports a signal death only when `wait` reaps it. */
export interface Job {
  readonly done: Promise<number>;
  status?: number;
  signo?: number;
  reaped: boolean;
}

/** `cmd &`: a forked subshell the shell does not wait for; `$!` is its PID. */
export function startBackground(sh: Shell, cmd: AndOr, io: ShellIO): void {
  // POSIX: a background job's stdin is /dev/null.
  const bgio = { ...io, stdin: Input.empty() };
  const { proc, done } = spawnProcess(sh.ctx, ['sh'], async (child) => {
    const sub = sh.fork(child);
    return sub.runAndOr(cmd, bgio, true).catch((e) => sub.exitStatusOf(e, bgio));
  });
  sh.lastBgPid = proc.pid;
  const job: Job = { done, reaped: false };
  sh.jobs.set(proc.pid, job);
  void done.then((status) => {
    job.status = status;
    if (proc.signal.reason instanceof Killed) job.signo = proc.signal.reason.signo;
  });
}

/** Awaits a foreground child, reaping the jobs that ended meanwhile. */
export async function waitForeground<T>(sh: Shell, p: Promise<T>): Promise<T> {
  try {
    const signal = sh.ctx.signal;
    // The shell stops waiting when its own process is killed.
    return await raceAbort(signal, p, () => {
      throw signal.reason;
    });
  } finally {
    reapEnded(sh);
  }
}

/** ash's dowait() while it waits for a foreground child reaps every child that has
 * ended, silently: a later `wait` for such a job prints no signal message. */
function reapEnded(sh: Shell): void {
  for (const job of sh.jobs.values()) if (job.status !== undefined) job.reaped = true;
}
