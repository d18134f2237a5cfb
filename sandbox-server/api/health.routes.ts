import type { FastifyInstance } from 'fastify';
import type { SandboxProbe } from '../prereqs.js';
import type { ImageRegistryStatus } from '../linux/registry-host.js';
import type { SessionRegistry } from '../sessions/session-registry.js';

/** `GET /api/health` — whether the site gets real containers here, and how busy the server is. */
export async function healthRoute(
  app: FastifyInstance,
  { sandbox, registry, imageRegistry }: { sandbox: SandboxProbe; registry: SessionRegistry; imageRegistry?: () => ImageRegistryStatus },
): Promise<void> {
  app.get('/health', async () => ({
    status: 'ok',
    sandbox: {
      available: sandbox.available,
      missing: sandbox.missing,
      runtime: sandbox.runtime,
    },
    // Where no sandbox runs, the site's pages run the engine in the browser.
    backend: sandbox.available && registry.available ? 'linux' : 'sim',
    // capacity: what this host holds (capacity.ts); past it a new session is SERVER_FULL.
    sessions: {
      available: registry.available,
      capacity: registry.limits.maxSessions,
      inUse: registry.size,
      free: Math.max(0, registry.limits.maxSessions - registry.size),
      perAddress: registry.limits.maxSessionsPerAddress,
    },
    // `docker push`/`pull` on the sandbox: whether its registry serves, and why not (codes as `sandbox.missing`'s); never its port.
    registry: imageRegistry?.() ?? { available: false, missing: [] },
  }));
}
