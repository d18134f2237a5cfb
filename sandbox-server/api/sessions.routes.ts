import type { FastifyInstance } from 'fastify';
import type { SessionRegistry } from '../sessions/session-registry.js';
import { ApiError } from './api-error.js';
import { RateLimiter } from './rate-limit.js';
import { sessionOf } from './session-auth.js';

/** `POST /api/sessions` — a new sandbox, bounded per client address. */
export async function createSessionRoute(app: FastifyInstance, { registry }: { registry: SessionRegistry }): Promise<void> {
  const limiter = new RateLimiter(registry.limits.createBurst, registry.limits.createPerMinute, registry.now);
  app.post(
    '/sessions',
    {
      // A body is optional; when one is sent it must be an empty object (room for options later).
      schema: { body: { type: ['object', 'null'], additionalProperties: false, maxProperties: 0 } },
      onRequest: async (request) => {
        const retryAfter = limiter.take(request.ip);
        if (retryAfter > 0) {
          throw new ApiError(429, 'RATE_LIMITED', `too many new sessions from this address; try again in ${retryAfter}s`, {
            'retry-after': String(retryAfter),
          });
        }
      },
    },
    async (request, reply) => {
      const { session, token } = await registry.create(request.ip);
      request.log.info({ session: session.id }, 'session started');
      // The idle timeout tells the page how often to say it is still there (src/client/session-keepalive.ts).
      return reply.code(201).header('cache-control', 'no-store').send({ id: session.id, token, idleTimeoutMs: registry.limits.idleTimeoutMs });
    },
  );
}

/** `DELETE /api/sessions/:id` — the session, its containers and all its state, gone. */
export async function deleteSessionRoute(app: FastifyInstance, { registry }: { registry: SessionRegistry }): Promise<void> {
  app.delete('/', async (request, reply) => {
    await registry.remove(sessionOf(request).id);
    return reply.code(204).send();
  });
}
