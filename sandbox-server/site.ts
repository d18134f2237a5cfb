import { existsSync } from 'node:fs';
import { sep } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

export const LOCALES = ['ko', 'en'] as const;
export const DEFAULT_LOCALE = 'ko';

/** The built site's dirs an embed on another origin reads: its bundle and the simulator's base layer. */
const EMBED_PUBLIC = ['embed', 'base-layers'];

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
  // A missing file where embeds read (`<layerlab-lesson lesson="99-x">`'s `/{lang}/embed/lessons/99-x.json`) is a
  // 404 the widget on another origin must be able to read, to say the lesson is not there rather than that the fetch failed.
  app.addHook('onSend', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (reply.statusCode === 404 && EMBED_PUBLIC.some((dir) => path.includes(`/${dir}/`))) reply.header('Access-Control-Allow-Origin', '*');
  });
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
      // The embed's chunks are named by content hash too (scripts/lib/build-embed.mjs); its entry keeps its versioned name.
      const hashed = path.includes(`${sep}_astro${sep}`) || (path.includes(`${sep}embed${sep}v1${sep}`) && !path.endsWith(`${sep}layerlab.js`));
      res.setHeader('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'public, max-age=0');
      // An embed is loaded by pages of other origins: a module script is fetched in CORS mode, and
      // its simulator fetches the base layer's tar. Public, credential-free files: any origin may read them.
      if (EMBED_PUBLIC.some((dir) => path.includes(`${sep}${dir}${sep}`))) {
        res.setHeader('Access-Control-Allow-Origin', '*');
        res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
      }
    },
  });
}
