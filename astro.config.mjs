// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { compressAssets } from './scripts/lib/compress-assets.mjs';
import { illustrativeCode } from './src/lessons/illustrative-code.ts';
import { buildEmbed, editorCatalog } from './scripts/lib/build-embed.mjs';
import { editorChunk, monacoStylesWithCode } from './scripts/lib/monaco-build.mjs';

/**
 * dockerfile-ast (the editor's language service; the builder has its own reader) checks for a
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
      logger.info(await buildEmbed(fileURLToPath(dir), [monacoStylesWithCode(), dockerfileAstBuffer()]));
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
    plugins: [monacoStylesWithCode(), dockerfileAstBuffer(), editorCatalog()],
    optimizeDeps: { esbuildOptions: { plugins: [dockerfileAstBufferEsbuild] } },
    build: { chunkSizeWarningLimit: 4096, rollupOptions: { output: { manualChunks: editorChunk } } },
  },
});
