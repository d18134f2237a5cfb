import type { Signal } from '../../engine/drivers/runtime.js';

/** Linux signal numbers (x86/arm), for `kill -l`, `128 + n` exit codes and `kill -9`. */
export const SIGNALS: readonly string[] = [
  '',
  'HUP',
  'INT',
  'QUIT',
  'ILL',
  'TRAP',
  'ABRT',
  'BUS',
  'FPE',
  'KILL',
  'USR1',
  'SEGV',
  'USR2',
  'PIPE',
  'ALRM',
  'TERM',
  'STKFLT',
  'CHLD',
  'CONT',
  'STOP',
  'TSTP',
  'TTIN',
  'TTOU',
  'URG',
  'XCPU',
  'XFSZ',
  'VTALRM',
  'PROF',
  'WINCH',
  'POLL',
  'PWR',
  'SYS',
];

/** strsignal(3) (glibc and musl agree on these): how a shell reports a job a signal killed. */
const SIGNAL_DESCRIPTIONS: readonly string[] = [
  '',
  'Hangup',
  'Interrupt',
  'Quit',
  'Illegal instruction',
  'Trace/breakpoint trap',
  'Aborted',
  'Bus error',
  'Floating point exception',
  'Killed',
  'User defined signal 1',
  'Segmentation fault',
  'User defined signal 2',
  'Broken pipe',
  'Alarm clock',
  'Terminated',
  'Stack fault',
  'Child exited',
  'Continued',
  'Stopped (signal)',
  'Stopped',
  'Stopped (tty input)',
  'Stopped (tty output)',
  'Urgent I/O condition',
  'CPU time limit exceeded',
  'File size limit exceeded',
  'Virtual timer expired',
  'Profiling timer expired',
  'Window changed',
  'I/O possible',
  'Power failure',
  'Bad system call',
];

export function signalDescription(signo: number): string {
  return SIGNAL_DESCRIPTIONS[signo] ?? `Unknown signal ${signo}`;
}

export function signalNumber(name: string): number | undefined {
  if (/^[0-9]+$/.test(name)) {
    const n = Number(name);
    return n >= 0 && n < SIGNALS.length ? n : undefined;
  }
  const bare = name.toUpperCase().replace(/^SIG/, '');
  const n = SIGNALS.indexOf(bare);
  return n > 0 ? n : undefined;
}

/** Signals whose default action is to ignore (or stop/continue) rather than terminate. */
const DEFAULT_IGNORED = new Set([17, 18, 19, 20, 21, 22, 23, 28]);

/** The process died of a signal; its exit status is 128 + the signal number. */
export class Killed extends Error {
  constructor(readonly signo: number) {
    super(`killed by SIG${SIGNALS[signo] ?? signo}`);
    this.name = 'Killed';
  }
}

/** What a process does with a caught signal: `trap` installs these in the shell. */
export type SignalHandler = (signo: number) => void;

export class SimProcess {
  readonly controller = new AbortController();
  /** Handlers by signal number; an empty-string trap (`trap '' TERM`) is a no-op handler. */
  readonly handlers = new Map<number, SignalHandler>();
  exited = false;

  constructor(
    readonly pid: number,
    readonly ppid: number,
    public argv: string[],
    readonly uid: number,
    readonly startedAt: number,
  ) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Linux delivery: KILL always kills; a handler runs; PID 1 ignores what it does not handle. */
  deliver(signo: number): void {
    if (this.exited || signo === 0) return;
    if (signo === 9) return this.terminate(signo);
    const handler = this.handlers.get(signo);
    if (handler) return handler(signo);
    if (DEFAULT_IGNORED.has(signo)) return;
    // Linux: the init process of a PID namespace gets only the signals it has handlers for.
    if (this.pid === 1) return;
    this.terminate(signo);
  }

  terminate(signo: number): void {
    if (!this.controller.signal.aborted) this.controller.abort(new Killed(signo));
  }
}

/** A container's PID namespace: init is PID 1, later processes get the next numbers. */
export class ProcessTable {
  private nextPid = 1;
  private readonly procs = new Map<number, SimProcess>();

  constructor(private readonly now: () => number) {}

  spawn(argv: string[], ppid: number, uid: number): SimProcess {
    const p = new SimProcess(this.nextPid++, ppid, argv, uid, this.now());
    this.procs.set(p.pid, p);
    return p;
  }

  exit(p: SimProcess): void {
    p.exited = true;
    this.procs.delete(p.pid);
  }

  get(pid: number): SimProcess | undefined {
    return this.procs.get(pid);
  }

  /** Live processes by PID, as `ps` lists them. */
  list(): SimProcess[] {
    return [...this.procs.values()].sort((a, b) => a.pid - b.pid);
  }

  /** Linux: when init dies, the kernel SIGKILLs every other process of the namespace. */
  killAll(): void {
    for (const p of this.procs.values()) p.terminate(9);
  }
}

export function signalOf(sig: Signal): number {
  return signalNumber(sig)!;
}
