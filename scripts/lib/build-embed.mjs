// @ts-check
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
// Imported here, not when the build runs: astro.config.mjs may be loaded by Vite's module
// runner, which is closed by the time the build's last hook calls buildEmbed.
import { build } from 'vite';

/** The embed's path in the built site: versioned, so a page that embeds `v1` keeps working across releases. */
export const EMBED_DIR = 'embed/v1';

const NO_CSS = '\0embed-no-page-css';

/**
 * A module the embed shares with the site imports CSS for the page (xterm's, in
 * tty-view.ts); in an embed that CSS belongs in the widget's shadow root, where
 * `src/embed/embed-styles.ts` adopts it, never in the host page.
 * @returns {import('vite').Plugin}
 */
function noPageCss() {
  return {
    name: 'layerlab:embed-no-page-css',
    enforce: 'pre',
    resolveId: (id) => (/\.css$/.test(id) ? NO_CSS : null),
    load: (id) => (id === NO_CSS ? 'export {};' : null),
  };
}

const ZOD_GLOBALS = /node_modules[\\/]zod[\\/]v4[\\/]core[\\/](core|registries)\.js$/;

/**
 * zod keeps its config and registry on `globalThis` (`__zod_globalConfig`,
 * `__zod_globalRegistry`), and its object parser probes `new Function('')` to compile
 * itself, which a page's strict CSP reports as a violation. In the embed both are
 * module-local — nothing of the embed's on the host's `window` — and the config is
 * `jitless`, so the probe never runs (zod's `fastEnabled = jit && allowsEval.value`).
 * @returns {import('vite').Plugin}
 */
function zodWithoutGlobals() {
  return {
    name: 'layerlab:embed-zod-without-globals',
    enforce: 'pre',
    transform(code, id) {
      if (!ZOD_GLOBALS.test(id)) return null;
      const local = `const __zodEmbed = { __zod_globalConfig: { jitless: true } };\n`;
      const next = code.replaceAll('(_a = globalThis).__zod_', '(_a = __zodEmbed).__zod_').replaceAll('globalThis.__zod_', '__zodEmbed.__zod_');
      if (next.includes('globalThis')) throw new Error(`${id}: zod reads globalThis in a way the embed build does not rewrite`);
      return { code: local + next, map: null };
    },
  };
}

const CATALOG = /[\\/]src[\\/]i18n[\\/](ko|en)\.json$/;
/**
 * The site's pages' strings, which no widget shows: the docs page's, the home page's, the lessons', the nav's, the
 * workshops', the backend badge's, the reset button's and the editor's (a widget has no editor yet).
 * `<layerlab-lesson>`'s own come with its lesson's data (src/embed/embed-lesson.ts), not in every widget's catalog.
 */
const PAGE_ONLY = [
  'embedDocs.',
  'home.',
  'nav.',
  'site.',
  'playground.',
  'lessons.',
  'lesson.',
  'vm.',
  'theme.',
  'embed.lesson.',
  'workshop.',
  'backend.',
  'environment.',
  'editor.',
];

/**
 * A widget fetches its language's catalog (embed-widget.ts): the site's pages' strings
 * stay out of it — a third of it was the embed docs page's own text (issue 15's 200 KB).
 * @returns {import('vite').Plugin}
 */
function catalogForEmbed() {
  return {
    name: 'layerlab:embed-catalog',
    enforce: 'pre',
    transform(code, id) {
      if (!CATALOG.test(id)) return null;
      const kept = Object.entries(JSON.parse(code)).filter(([key]) => !PAGE_ONLY.some((p) => key.startsWith(p)));
      return { code: JSON.stringify(Object.fromEntries(kept)), map: null };
    },
  };
}

/**
 * `/embed/v1/layerlab.js` (src/embed/layerlab.ts) and its chunks beside it, built into the
 * site's `dir` with the site: an ES module on another origin than the page that loads it,
 * so its chunks are found from its own URL (`base: './'`) and there is no modulepreload
 * helper (it would add `<link>`s to the host page). `plugins`: the site's transforms the
 * shared code needs (dockerfile-ast's local Buffer). Returns a line for the build's log.
 * @param {string} dir
 * @param {import('vite').Plugin[]} plugins
 */
export async function buildEmbed(dir, plugins) {
  const outDir = resolve(dir, EMBED_DIR);
  await build({
    configFile: false,
    logLevel: 'warn',
    base: './',
    plugins: [noPageCss(), zodWithoutGlobals(), catalogForEmbed(), ...plugins],
    build: {
      outDir,
      emptyOutDir: true,
      copyPublicDir: false,
      modulePreload: false,
      target: 'es2022',
      chunkSizeWarningLimit: 4096,
      rollupOptions: {
        input: { layerlab: fileURLToPath(new URL('../../src/embed/layerlab.ts', import.meta.url)) },
        preserveEntrySignatures: 'exports-only',
        output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js', assetFileNames: '[name]-[hash][extname]' },
      },
    },
  });
  return `embed bundle in ${EMBED_DIR}/`;
}
