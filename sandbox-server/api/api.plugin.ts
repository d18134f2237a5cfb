import type { FastifyInstance } from 'fastify';
import fastifyWebsocket from '@fastify/websocket';
import type { SandboxProbe } from '../prereqs.js';
import type { ImageRegistryStatus } from '../linux/registry-host.js';
import type { SessionRegistry } from '../sessions/session-registry.js';
import { ApiError, registerErrorHandling } from './api-error.js';
import { selectWsProtocol } from './bearer-token.js';
import { commandRoutes } from './commands.routes.js';
import { fileRoutes } from './files.routes.js';
import { healthRoute } from './health.routes.js';
import { requireSession } from './session-auth.js';
import { createSessionRoute, deleteSessionRoute } from './sessions.routes.js';
import { stateRoutes } from './state.routes.js';
import { wsRoutes } from './ws.routes.js';
import { MAX_CLIENT_MESSAGE_BYTES } from './ws-protocol.js';
import { registerEmbedOrigins, type EmbedOrigins } from './embed-origins.js';
import { workshopRoutes, type ClassNamespaces } from './workshops.routes.js';
import type { Workshops } from '../workshops/workshops.js';
import type { WorkshopLimits } from '../workshops/workshop-limits.js';

export interface ApiOptions {
  registry: SessionRegistry;
  sandbox: SandboxProbe;
  /** Other sites whose embeds may use the API (`LAYERLAB_EMBED_ORIGINS`); none when left out. */
  embedOrigins?: EmbedOrigins;
  imageRegistry?: () => ImageRegistryStatus;
  /** Workshops (issue 14), when the server keeps them. */
  workshops?: { workshops: Workshops; limits: WorkshopLimits; classNamespaces?: () => ClassNamespaces | undefined };
}

/**
 * The sandbox API, registered with prefix `/api`: health and session creation in the
 * open, everything under `/sessions/:id` behind the session's bearer token.
 */
export async function apiPlugin(app: FastifyInstance, { registry, sandbox, embedOrigins, imageRegistry, workshops }: ApiOptions): Promise<void> {
  registerErrorHandling(app);
  registerEmbedOrigins(app, embedOrigins ?? new Set());
  await app.register(fastifyWebsocket, {
    options: { handleProtocols: selectWsProtocol, maxPayload: MAX_CLIENT_MESSAGE_BYTES },
  });
  await app.register(healthRoute, { sandbox, registry, imageRegistry });
  await app.register(createSessionRoute, { registry });
  if (workshops) await app.register(workshopRoutes, { ...workshops, registry });
  await app.register(
    async (scoped) => {
      requireSession(scoped, registry);
      await scoped.register(deleteSessionRoute, { registry });
      await scoped.register(commandRoutes, { registry });
      await scoped.register(stateRoutes);
      await scoped.register(fileRoutes, { registry });
      await scoped.register(wsRoutes, { registry });
    },
    { prefix: '/sessions/:id' },
  );
  // Ahead of the site's static wildcard: an unknown API path answers JSON, not a page.
  app.all('/*', async (request) => {
    throw new ApiError(404, 'NOT_FOUND', `no API route ${request.method} ${request.url.split('?')[0]}`);
  });
  app.addHook('onClose', async () => registry.close());
}
