import { existsSync } from 'node:fs';
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
  await app.register(fastifyStatic, { root: siteDir, wildcard: true, index: 'index.html', redirect: true });
}
