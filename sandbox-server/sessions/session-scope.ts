import { AsyncLocalStorage } from 'node:async_hooks';

/** What the last-resort handler can do to the session whose work threw: fail it. */
export interface ScopedSession {
  readonly id: string;
  fail(error: unknown): void;
}

const scope = new AsyncLocalStorage<ScopedSession>();

/**
 * Runs `fn` as `session`'s work: every callback, timer, stream handler and promise it
 * starts stays in the scope (Node's async context), so an error that escapes all of
 * them still names its session (last-resort.ts) and fails that session alone.
 */
export function inSession<T>(session: ScopedSession, fn: () => T): T {
  return scope.run(session, fn);
}

/** The session whose work is running now, if any. */
export function currentSession(): ScopedSession | undefined {
  return scope.getStore();
}
