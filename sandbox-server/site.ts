import { existsSync } from 'node:fs';
import { sep } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

export const LOCALES = ['ko', 'en'] as const;
export const DEFAULT_LOCALE = 'ko';

/** The first of the browser's languages that we have, else Korean (the default locale). */
export function pickLocale(acceptLanguage: string | undefined): (typeof LOCALES)[number] {
  const wanted = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { lang: tag.toLowerCase().split('-')[0] ?? '', q: q ? Number(q.trim().slice(2)) : 1 };
    })
    .filter((l) => l.lang && l.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { lang } of wanted) {
    const hit = LOCALES.find((l) => l === lang);
    if (hit) return hit;
  }
  return DEFAULT_LOCALE;
}

/** Serves the built Astro site; `/` redirects by Accept-Language. */
export async function registerSite(app: FastifyInstance, siteDir: string): Promise<void> {
  app.get('/', async (request, reply) => reply.redirect(`/${pickLocale(request.headers['accept-language'])}/`, 302));
  if (!existsSync(siteDir)) {
    app.log.warn({ siteDir }, 'no built site: run `npm run build` (npm start does it for you)');
    return;
  }
  await app.register(fastifyStatic, {
    root: siteDir,
    wildcard: true,
    // An array: with preCompressed, @fastify/static finds a directory's index only in one.
    index: ['index.html'],
    redirect: true,
    // The build writes x.br and x.gz beside each asset (scripts/lib/compress-assets.mjs).
    preCompressed: true,
    // Set here, not by send (whose header would replace this one's).
    cacheControl: false,
    setHeaders(res, path) {
      // Vite names what it writes to _astro/ by a hash of its content, so a name never
      // changes content: a browser need not ask again, and reuses its compiled code.
      // Pages keep their names across builds: checked on every visit.
      res.setHeader('Cache-Control', path.includes(`${sep}_astro${sep}`) ? 'public, max-age=31536000, immutable' : 'public, max-age=0');
    },
  });
}
