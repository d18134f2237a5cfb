// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';

// Locale is the first path segment for both languages (Starlight's rule); `/` picks
// one from the browser's language (src/pages/index.astro, and the server by
// Accept-Language), so Astro's own default-locale redirect is off.
export default defineConfig({
  output: 'static',
  // Lessons are MDX (content/lessons/**/index.mdx): steps are <Step> components in the text.
  integrations: [mdx()],
  trailingSlash: 'ignore',
  i18n: {
    locales: ['ko', 'en'],
    defaultLocale: 'ko',
    routing: { prefixDefaultLocale: true, redirectToDefaultLocale: false },
  },
  vite: {
    build: { chunkSizeWarningLimit: 4096 },
  },
});
