import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { apiPlugin, type ApiOptions } from './api/api.plugin.js';
import { registerSite } from './site.js';
import type { SandboxProbe } from './prereqs.js';
import type { ImageRegistryStatus } from './linux/registry-host.js';
import type { TrustProxy } from './trust-proxy.js';
import type { EmbedOrigins } from './api/embed-origins.js';
import { DEFAULT_LIMITS, type SessionLimits } from './sessions/session-limits.js';
import { SessionRegistry } from './sessions/session-registry.js';
import type { EngineFactory } from './sessions/session.js';
import { MAX_COMMAND_BODY_BYTES } from './api/commands.routes.js';
import { INSTRUCTOR_SECRET_HEADER, type ClassNamespaces } from './api/workshops.routes.js';
import type { WorkshopStore } from './workshops/workshop-store.js';
import { DEFAULT_WORKSHOP_LIMITS, type WorkshopLimits } from './workshops/workshop-limits.js';
import { Workshops } from './workshops/workshops.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The live sessions (for the sweeper, shutdown, and tests that drive expiry). */
    sandboxSessions: SessionRegistry;
  }
}

export interface SessionOptions {
  /** Where session state roots live: `<stateDir>/sessions/<id>`. One server per state dir. */
  stateDir: string;
  /** Makes a session's engine; absent where no sandbox can run (the API then answers 503). */
  engineFactory?: EngineFactory;
  limits?: Partial<SessionLimits>;
  /** Each session on a size-limited tmpfs (needs root on Linux). */
  tmpfs?: boolean;
  now?: () => number;
  /** Removes what the backends of a crashed run left behind, before the first session. */
  sweepBackend?: () => Promise<void>;
}

export interface AppOptions {
  /** The built site (Astro's `dist/`), served beside the API. */
  siteDir: string;
  sandbox: SandboxProbe;
  sessions?: SessionOptions;
  logger?: boolean | { level: string; stream?: { write(line: string): void } };
  /** Whose X-Forwarded-For to believe for the client address (rate limits, logs); off by default. */
  trustProxy?: TrustProxy;
  /** Other sites whose embeds may use the sandbox API (`LAYERLAB_EMBED_ORIGINS`); none by default. */
  embedOrigins?: EmbedOrigins;
  /** Whether the sandbox's registry serves (`/api/health`'s `registry`); none without a sandbox. */
  imageRegistry?: () => ImageRegistryStatus;
  /** Where workshops live (`openWorkshopStore`); the app closes it. Without one there is no workshop API. */
  workshops?: {
    store: WorkshopStore;
    limits?: Partial<WorkshopLimits>;
    lessons?: ReadonlySet<string>;
    /** The sandbox registry's class namespaces (its `RegistryHost`), once it runs: a deleted workshop's goes with it. */
    classNamespaces?: () => ClassNamespaces | undefined;
  };
}

/** The HTTP app: the site, and the sandbox API under /api. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const logger =
    typeof options.logger === 'object'
      ? {
          ...options.logger,
          // Tokens travel in these headers; nothing logs headers today, and nothing ever should.
          redact: {
            paths: ['req.headers.authorization', 'req.headers["sec-websocket-protocol"]', `req.headers["${INSTRUCTOR_SECRET_HEADER}"]`],
            censor: '[redacted]',
          },
        }
      : (options.logger ?? false);
  const trustProxy = options.trustProxy;
  const app = Fastify({
    logger,
    // No route reads more than a command, but the files route, which sets its own limit.
    bodyLimit: MAX_COMMAND_BODY_BYTES,
    genReqId: () => randomUUID(),
    // A hop count as proxy-addr reads one (Fastify's types take no number): the nearest n hops are proxies.
    trustProxy: typeof trustProxy === 'number' ? (_address: string, hop: number) => hop < trustProxy : (trustProxy ?? false),
    // Fastify's defaults coerce `42` into `"42"` and drop unknown keys silently; a client
    // that sends the wrong thing is told so instead.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
  });
  // The id a log line carries, so a learner's report can be matched to the server's log.
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  const sessions = options.sessions;
  const registry = new SessionRegistry({
    stateDir: sessions?.stateDir ?? '.layerlab/state',
    limits: { ...DEFAULT_LIMITS, ...sessions?.limits },
    engineFactory: sessions?.engineFactory,
    tmpfs: sessions?.tmpfs ?? false,
    now: sessions?.now,
    log: app.log,
    sweepBackend: sessions?.sweepBackend,
  });
  app.decorate('sandboxSessions', registry);
  // Without an engine there are no sessions to have left anything behind.
  if (registry.available) await registry.open();
  await app.register(apiPlugin, {
    prefix: '/api',
    registry,
    sandbox: options.sandbox,
    embedOrigins: options.embedOrigins,
    imageRegistry: options.imageRegistry,
    workshops: workshopsOf(options.workshops, registry.now),
  });
  await registerSite(app, options.siteDir);
  return app;
}

function workshopsOf(options: AppOptions['workshops'], now: () => number): ApiOptions['workshops'] {
  if (!options) return undefined;
  const limits = { ...DEFAULT_WORKSHOP_LIMITS, ...options.limits };
  return {
    workshops: new Workshops(options.store, { now, maxLearners: limits.maxLearners, lessons: options.lessons }),
    limits,
    classNamespaces: options.classNamespaces,
  };
}
