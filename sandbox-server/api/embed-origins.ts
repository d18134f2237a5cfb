import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from './api-error.js';

/**
 * Which other sites' pages may use this server's sandbox API from an embed
 * (`<layerlab-playground server="…">`): `LAYERLAB_EMBED_ORIGINS`, a comma-separated list of
 * origins (`https://docs.example,https://blog.example`), `*` for any, none by default.
 * The API authenticates by bearer token only and sets no cookie, so CORS never allows
 * credentials; the allow-list is what keeps another site from spending this server's
 * sessions (whose limits apply to embeds as to the site's own pages).
 */
export type EmbedOrigins = '*' | ReadonlySet<string>;

export function embedOriginsFromEnv(raw: string | undefined): EmbedOrigins {
  const value = raw?.trim() ?? '';
  if (value === '*') return '*';
  const origins = value
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const origin of origins) {
    let url: URL | undefined;
    try {
      url = new URL(origin);
    } catch {
      url = undefined;
    }
    // An origin is scheme://host[:port] and nothing else; what a browser sends in `Origin`.
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== origin.replace(/\/$/, '')) {
      throw new Error(`LAYERLAB_EMBED_ORIGINS must be * or origins like https://docs.example, comma-separated; got ${JSON.stringify(origin)}`);
    }
  }
  return new Set(origins.map((o) => o.replace(/\/$/, '')));
}

/**
 * The browser's own page on this server sends an `Origin` of the host it asked (POST, PUT,
 * DELETE, WebSocket): the `Host` header, or behind a trusted proxy its X-Forwarded-Host
 * (`request.host`). A proxy that rewrites Host and says nothing must list the site's origin.
 */
function sameHost(origin: string, request: FastifyRequest): boolean {
  try {
    const host = new URL(origin).host;
    return host === request.headers.host || host === request.host;
  } catch {
    return false;
  }
}

/**
 * CORS for the API (the session routes and the WebSocket's upgrade, which a browser sends
 * with `Origin` and no preflight): a request from another origin is answered only if the
 * allow-list has it — a preflight with the methods and headers the API takes, the answer
 * with `Access-Control-Allow-Origin` — and refused with 403 `ORIGIN_NOT_ALLOWED` otherwise,
 * before any session is made or upgraded. In `preValidation`, ahead of the session's token
 * check: a refusal from `onRequest` on an upgrade left the socket open and the server's
 * close waiting on it.
 */
export function registerEmbedOrigins(app: FastifyInstance, allowed: EmbedOrigins): void {
  app.addHook('preValidation', async (request, reply) => {
    const origin = request.headers.origin;
    if (origin === undefined || sameHost(origin, request)) return;
    if (allowed !== '*' && !allowed.has(origin))
      throw new ApiError(403, 'ORIGIN_NOT_ALLOWED', `pages of ${origin} may not use this sandbox (LAYERLAB_EMBED_ORIGINS)`, { vary: 'Origin' });
    reply.header('access-control-allow-origin', allowed === '*' ? '*' : origin).header('vary', 'Origin');
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined) {
      return reply
        .code(204)
        .header('access-control-allow-methods', 'GET, POST, PUT, DELETE')
        .header('access-control-allow-headers', 'authorization, content-type')
        .header('access-control-max-age', '600')
        .send();
    }
  });
}
