import type { CommandContext } from './command.js';

/** How long (Clock time) a foreground process gets to end after Ctrl-C before the CLI returns. */
export const INTERRUPT_GRACE_MS = 200;
/** A shell's status for a command SIGINT ended (128 + 2). */
export const INTERRUPTED = 130;

/**
 * Waits for a foreground command (`run`, `start -a`, `exec`, `logs -f`) as Docker's CLI
 * does under Ctrl-C: the abort of `ctx.opts.signal` forwards SIGINT to the process
 * (`--sig-proxy`, default true); a process that ends within the grace gives its own
 * status, one that does not (PID 1 ignores SIGINT it has no handler for) is left running
 * and the command returns 130 at once, as a CLI killed by the second Ctrl-C would.
 * `detach` then stops the process's output reaching this command.
 */
export async function waitForeground(
  ctx: CommandContext,
  done: Promise<number>,
  opts: { forward?: () => Promise<void>; detach?: () => void } = {},
): Promise<number> {
  const signal = ctx.opts.signal;
  if (!signal) return done;
  let onAbort = () => {};
  const interrupted = new Promise<void>((resolve) => {
    onAbort = resolve;
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  const first = await Promise.race([done.then((code) => ({ code })), interrupted.then(() => undefined)]);
  signal.removeEventListener('abort', onAbort);
  if (first) return first.code;
  await opts.forward?.().catch(() => undefined);
  const timer = new AbortController();
  const grace = ctx.drivers.clock.sleep(INTERRUPT_GRACE_MS, timer.signal).then(
    () => undefined,
    () => undefined,
  );
  const ended = await Promise.race([done.then((code) => ({ code })), grace]);
  timer.abort();
  if (ended) return ended.code;
  opts.detach?.();
  return INTERRUPTED;
}
