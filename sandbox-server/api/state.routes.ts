import type { FastifyInstance } from 'fastify';
import { sessionOf } from './session-auth.js';

/** `GET /api/sessions/:id/state` — the engine's state snapshot, the browser's schema. */
export async function stateRoutes(app: FastifyInstance): Promise<void> {
  app.get('/state', async (request) => sessionOf(request).engine.state());
}
