import type { FastifyBaseLogger } from 'fastify';
import { currentSession } from './sessions/session-scope.js';

/**
 * Node's default for an uncaught exception or an unhandled rejection is to stop the
 * process — every learner's session with it. Past every catch of ours, this is the last
 * one: an error of one session's work (session-scope.ts) fails that session; any other
 * is logged. Either way the server keeps serving. Returns the uninstaller.
 */
export function installLastResort(log: Pick<FastifyBaseLogger, 'error'>): () => void {
  const onError = (kind: 'uncaughtException' | 'unhandledRejection') => (error: unknown) => {
    const session = currentSession();
    if (session) {
      log.error({ err: error, session: session.id, kind }, 'a session failed: its work raised an error nothing caught');
      session.fail(error);
    } else {
      log.error({ err: error, kind }, 'an error nothing caught; still serving');
    }
  };
  const uncaught = onError('uncaughtException');
  const unhandled = onError('unhandledRejection');
  process.on('uncaughtException', uncaught);
  process.on('unhandledRejection', unhandled);
  return () => {
    process.off('uncaughtException', uncaught);
    process.off('unhandledRejection', unhandled);
  };
}
