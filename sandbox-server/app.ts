import Fastify, { type FastifyInstance } from 'fastify';
import { registerSite } from './site.js';
import type { SandboxProbe } from './prereqs.js';

export interface AppOptions {
  /** The built site (Astro's `dist/`), served beside the API. */
  siteDir: string;
  sandbox: SandboxProbe;
  logger?: boolean | { level: string };
}

/** The HTTP app: the site, and the sandbox API under /api. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 8 * 1024 * 1024 });
  app.get('/api/health', async () => ({
    status: 'ok',
    sandbox: {
      available: options.sandbox.available,
      missing: options.sandbox.missing,
      runtime: options.sandbox.runtime,
    },
    // Where no sandbox runs, the site's pages run the engine in the browser.
    backend: options.sandbox.available ? 'linux' : 'sim',
  }));
  await registerSite(app, options.siteDir);
  return app;
}
