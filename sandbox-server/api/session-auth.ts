import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Session } from '../sessions/session.js';
import type { SessionRegistry } from '../sessions/session-registry.js';
import { ApiError, noSuchSession } from './api-error.js';
import { bearerToken } from './bearer-token.js';
import { SessionFailed } from '../sessions/session-errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The session named by `:id` whose token the request carried (set by `requireSession`). */
    sandboxSession: Session | null;
  }
}

/**
 * Every route of this plugin context needs the session's bearer token. Checked in
 * onRequest, before the body is read: a request for a session it may not use costs no
 * parsing. No token → 401; unknown id, wrong token or another session's token → one
 * and the same 404.
 */
export function requireSession(app: FastifyInstance, registry: SessionRegistry): void {
  app.decorateRequest('sandboxSession', null);
  app.addHook('onRequest', async (request, reply) => {
    const token = bearerToken(request);
    if (token === undefined) {
      throw new ApiError(401, 'UNAUTHORIZED', 'send the session token as `Authorization: Bearer <token>`', {
        'www-authenticate': 'Bearer realm="layerlab"',
      });
    }
    const { id } = request.params as { id?: string };
    const session = registry.find(id ?? '', token);
    if (!session) {
      // Its learner (the token holder, no one else) is told why it is gone.
      const failure = registry.failure(id ?? '', token);
      throw failure === undefined ? noSuchSession() : new SessionFailed(failure);
    }
    session.touch(registry.now());
    request.sandboxSession = session;
    // Every later line of this request says whose session it was (never with the token).
    request.log = request.log.child({ session: session.id });
    reply.log = request.log;
  });
}

/** The request's session; routes behind `requireSession` always have one. */
export function sessionOf(request: FastifyRequest): Session {
  if (!request.sandboxSession) throw noSuchSession();
  return request.sandboxSession;
}
