// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compressAssets } from './scripts/lib/compress-assets.mjs';
import { illustrativeCode } from './src/lessons/illustrative-code.ts';
import { buildEmbed } from './scripts/lib/build-embed.mjs';

/**
 * The editor's code in a few chunks by Monaco's own layers (base ← platform and the
 * model ← the view ← features), not one 3.5 MB file: the browser fetches them at once and
 * compiles each on its own background thread, where one file is compiled on one thread
 * while the page waits (issue 8: opening the editor under 1.5 s). The layers import only
 * downwards, so no chunk imports one that imports it.
 */
function editorChunk(id) {
  // Rollup pulls a manual chunk's unassigned imports into it, and every page uses Vite's
  // preload helper: it keeps a chunk of its own, or each page would load Monaco's base.
  if (id.includes('vite/preload-helper')) return 'preload-helper';
  // Stylesheets are Astro's to place (it links each page only the CSS its scripts reach).
  if (/\.css($|\?)/.test(id)) return undefined;
  const monaco = /node_modules\/monaco-editor\/esm\/vs\/(.*)$/.exec(id)?.[1];
  if (monaco === undefined) return undefined;
  if (monaco.startsWith('base/') || monaco.startsWith('nls') || monaco === 'amdX.js') return 'monaco-base';
  if (monaco.startsWith('platform/') || monaco.startsWith('editor/common/')) return 'monaco-model';
  if (monaco.startsWith('editor/browser/')) return 'monaco-view';
  return 'monaco-features';
}

const MONACO_CSS = 'll-monaco-css:';

/**
 * Monaco's stylesheets arrive with its code, as <style> elements its modules add when they
 * run, instead of as CSS files: Astro links on a page every stylesheet its scripts can
 * reach, dynamic imports included, so a lesson page whose route can hold an editor would
 * block its first paint on Monaco's 150 KB of CSS even with no editor on it. Each
 * `import './x.css'` becomes a module at the same place, so the cascade keeps its order.
 * @returns {import('vite').Plugin}
 */
function monacoStylesWithCode() {
  return {
    name: 'layerlab:monaco-styles-with-code',
    enforce: 'pre',
    transform(code, id) {
      if (!/node_modules\/monaco-editor\/esm\/.*\.js$/.test(id) || !code.includes(".css'")) return null;
      return code.replace(/^import '(\.[^']+\.css)';$/gm, (_, path) => `import ${JSON.stringify(MONACO_CSS + resolve(dirname(id), path))};`);
    },
    // `.js` at the end: an id ending in `.css` would be handed to Vite's CSS plugin.
    resolveId(id) {
      return id.startsWith(MONACO_CSS) ? `\0${id}.js` : null;
    },
    load(id) {
      if (!id.startsWith(`\0${MONACO_CSS}`)) return null;
      const file = id.slice(MONACO_CSS.length + 1, -'.js'.length);
      return `import css from ${JSON.stringify(`${file}?inline`)};\nconst style = document.createElement('style');\nstyle.dataset.monaco = '';\nstyle.textContent = css;\ndocument.head.append(style);\n`;
    },
  };
}

/**
 * dockerfile-ast (the builder's parser, and the editor's language service) checks for a
 * UTF-8 BOM with Node's `Buffer.from(char, 'UTF-8')` (lib/util.js); browsers have no
 * `Buffer`. Its modules that name one get a module-local `Buffer` with exactly that call,
 * not a global: a global `Buffer` made every other script on the page take the browser
 * for Node (Monaco's VSBuffer tests `typeof Buffer` and then calls `Buffer.isBuffer`).
 * The site's build goes through the Vite plugin; `astro dev` pre-bundles dependencies
 * with esbuild, which does not run Vite's transforms, so the same rewrite is an esbuild
 * plugin there.
 */
const DOCKERFILE_AST_MODULE = /node_modules[\\/]dockerfile-ast[\\/]lib[\\/][^?]*\.js$/;
const LOCAL_BUFFER = 'const Buffer = { from: (text) => new TextEncoder().encode(String(text)) };';

/** `code` with a module-local `Buffer` declared after its `'use strict'` (kept first, so it stays strict). */
function withLocalBuffer(code) {
  if (!/\bBuffer\b/.test(code)) return null;
  const strict = /^(['"])use strict\1;?[^\n]*\n/m.exec(code);
  const at = strict ? strict.index + strict[0].length : 0;
  return `${code.slice(0, at)}${LOCAL_BUFFER}\n${code.slice(at)}`;
}

/** @returns {import('vite').Plugin} */
function dockerfileAstBuffer() {
  return {
    name: 'layerlab:dockerfile-ast-buffer',
    enforce: 'pre',
    transform(code, id) {
      if (!DOCKERFILE_AST_MODULE.test(id)) return null;
      const next = withLocalBuffer(code);
      return next === null ? null : { code: next, map: null };
    },
  };
}

/**
 * The same rewrite for `astro dev`'s dependency pre-bundling (esbuild).
 * @type {NonNullable<NonNullable<import('vite').DepOptimizationOptions['esbuildOptions']>['plugins']>[number]}
 */
const dockerfileAstBufferEsbuild = {
  name: 'layerlab:dockerfile-ast-buffer',
  setup(build) {
    build.onLoad({ filter: DOCKERFILE_AST_MODULE }, async (args) => {
      const next = withLocalBuffer(await readFile(args.path, 'utf8'));
      return next === null ? undefined : { contents: next, loader: 'js' };
    });
  },
};

/** The built site's assets, also brotli- and gzip-compressed for the server to send. */
const compressedAssets = {
  name: 'layerlab:compressed-assets',
  hooks: {
    'astro:build:done': async ({ dir, logger }) => {
      // The embed bundle (src/embed/), before compressing: its files are assets too.
      logger.info(await buildEmbed(fileURLToPath(dir), [dockerfileAstBuffer()]));
      // busybox's base layer for the simulator's `docker save`, before compressing: it is one of the assets.
      logger.info(
        execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-base-layer.mjs', fileURLToPath(dir)], { encoding: 'utf8' }).trim(),
      );
      logger.info(`compressed ${await compressAssets(fileURLToPath(dir))} files (.br, .gz)`);
    },
  },
};

// Locale is the first path segment for both languages (Starlight's rule); `/` picks
// one from the browser's language (src/pages/index.astro, and the server by
// Accept-Language), so Astro's own default-locale redirect is off.
export default defineConfig({
  output: 'static',
  // Lessons are MDX (content/lessons/**/index.mdx): steps are <Step> components in the text.
  integrations: [mdx(), compressedAssets],
  // ```sh illustrative: an example with no run button (src/lessons/illustrative-code.ts).
  markdown: { shikiConfig: { transformers: [illustrativeCode] } },
  trailingSlash: 'ignore',
  i18n: {
    locales: ['ko', 'en'],
    defaultLocale: 'ko',
    routing: { prefixDefaultLocale: true, redirectToDefaultLocale: false },
  },
  vite: {
    plugins: [monacoStylesWithCode(), dockerfileAstBuffer()],
    optimizeDeps: { esbuildOptions: { plugins: [dockerfileAstBufferEsbuild] } },
    build: { chunkSizeWarningLimit: 4096, rollupOptions: { output: { manualChunks: editorChunk } } },
  },
});
