import type { Shell, ShellIO } from './interpreter.js';

/** `trap`: installs the action in the process, so the runtime's signals reach it. */
export function setTrap(sh: Shell, signo: number, action: string | undefined): void {
  if (action === undefined) {
    sh.traps.delete(signo);
    sh.ctx.proc.handlers.delete(signo);
    return;
  }
  sh.traps.set(signo, action);
  if (signo === 0) return;
  sh.ctx.proc.handlers.set(signo, (s) => {
    // ash: a trapped signal runs its action once the foreground command has finished.
    if (action !== '') sh.pending.push(s);
    const w = sh.signalWaiters;
    sh.signalWaiters = [];
    for (const f of w) f();
  });
}

/** Resolves when a trapped signal arrives (the `wait` builtin returns early then). */
export function signalArrived(sh: Shell): Promise<void> {
  return new Promise((r) => sh.signalWaiters.push(r));
}

/** Runs the actions of the signals that arrived; the status they end with is not the shell's. */
export async function runTraps(sh: Shell, io: ShellIO): Promise<void> {
  while (sh.pending.length) {
    const signo = sh.pending.shift()!;
    const action = sh.traps.get(signo);
    if (!action) continue;
    const saved = sh.status;
    await sh.runScript(action, io);
    sh.status = saved;
  }
}

/** The EXIT trap, once, as the shell ends. */
export async function runExitTrap(sh: Shell, io: ShellIO): Promise<void> {
  const action = sh.traps.get(0);
  if (action === undefined) return;
  sh.traps.delete(0);
  await sh.runScript(action, io);
}
