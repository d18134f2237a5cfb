// @ts-check
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
// Imported here, not when the build runs: astro.config.mjs may be loaded by Vite's module
// runner, which is closed by the time the build's last hook calls buildEmbed.
import { build } from 'vite';
import { editorChunk, MONACO_CSS } from './monaco-build.mjs';

/** The embed's path in the built site: versioned, so a page that embeds `v1` keeps working across releases. */
export const EMBED_DIR = 'embed/v1';

const NO_CSS = '\0embed-no-page-css';

/**
 * A module the embed shares with the site imports CSS for the page (the terminal emulator's, in
 * tty-view.ts); in an embed that CSS belongs in the widget's shadow root, where
 * `src/embed/embed-styles.ts` adopts it, never in the host page. Monaco's are modules that
 * hand theirs to `src/editor/monaco-styles.ts` (monaco-build.mjs), which adopts them
 * into the shadow roots that hold an editor.
 * @returns {import('vite').Plugin}
 */
function noPageCss() {
  return {
    name: 'layerlab:embed-no-page-css',
    enforce: 'pre',
    resolveId: (id) => (/\.css$/.test(id) && !id.startsWith(MONACO_CSS) ? NO_CSS : null),
    load: (id) => (id === NO_CSS ? 'export {};' : null),
  };
}

const PRELOAD_HELPER = '\0vite/preload-helper.js';

/**
 * Vite wraps every dynamic import in `__vitePreload`, which first loads the CSS and modules the chunk needs (none in
 * the embed: modulePreload is off and it emits no CSS, which this plugin checks) and, when an import fails, dispatches
 * `vite:preloadError` on the host page's `window`. The embed's helper is the import itself: 0.7 KB fewer (issue 15's
 * 200 KB), and nothing of the embed's on `window`. A Vite that names its helper otherwise keeps its own, as before.
 * @returns {import('vite').Plugin}
 */
function plainDynamicImports() {
  return {
    name: 'layerlab:embed-plain-dynamic-imports',
    enforce: 'pre',
    load: (id) => (id === PRELOAD_HELPER ? 'export const __vitePreload = (load) => load();' : null),
    generateBundle(_options, bundle) {
      const css = Object.keys(bundle).filter((name) => name.endsWith('.css'));
      if (css.length > 0) this.error(`the embed emits CSS (${css.join(', ')}), which its dynamic imports do not load`);
    },
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
const EDITOR_CATALOG = /[\\/]src[\\/]i18n[\\/](ko|en)\.json\?editor$/;
/**
 * The site's pages' strings, which no widget shows: the docs page's, the home page's, the lessons', the nav's, the
 * workshops', the backend badge's, the reset button's and the editor's (a widget with `editor` fetches those with
 * the editor: `…/ko.json?editor`, editorCatalog).
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
 * The lesson page's strings no widget shows — the picture's heading; the terminal's copy buttons, key help and run
 * button (`<layerlab-lesson>` gets `terminal.run` with its lesson's data) — by key: `terminal.run` is a prefix of
 * `terminal.running`, which every terminal shows.
 */
const PAGE_ONLY_KEYS = new Set([
  'picture.title',
  'terminal.label',
  'terminal.run',
  'terminal.runCommand',
  'terminal.copy',
  'terminal.copied',
  'terminal.copyCommand',
  'terminal.keys',
]);

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
      const kept = Object.entries(JSON.parse(code)).filter(([key]) => !PAGE_ONLY.some((p) => key.startsWith(p)) && !PAGE_ONLY_KEYS.has(key));
      return { code: JSON.stringify(Object.fromEntries(kept)), map: null };
    },
  };
}

/**
 * `…/i18n/ko.json?editor`, imported: the editor's strings only (`editor.*`), which a playground with
 * `editor` fetches with the editor's code (src/embed/embed-editor.ts) — in the embed's build and the
 * site's (the iframe route runs the embed from the site's).
 * @returns {import('vite').Plugin}
 */
export function editorCatalog() {
  return {
    name: 'layerlab:editor-catalog',
    enforce: 'pre',
    transform(code, id) {
      if (!EDITOR_CATALOG.test(id)) return null;
      const kept = Object.entries(JSON.parse(code)).filter(([key]) => key.startsWith('editor.'));
      return { code: JSON.stringify(Object.fromEntries(kept)), map: null };
    },
  };
}

const src = (/** @type {string} */ path) => fileURLToPath(new URL(`../../src/${path}`, import.meta.url));

/** The mark before each module's own code (`LAYERLAB_EMBED_MARKS`): bench/embed-module-marks.ts reads them by it. */
export const MODULE_MARK = 'll-module:';

/**
 * LAYERLAB_EMBED_MARKS=1: a `performance.mark('ll-module:<path>')` before each module's own code, where the bundle
 * runs it — what each module's evaluation costs a page's start, measured by bench/embed-module-marks.ts without a
 * profiler's overhead (sha256's tables were ~5 ms at 4×). Never in a release.
 * @returns {import('vite').Plugin}
 */
function moduleMarks() {
  return {
    name: 'layerlab:embed-module-marks',
    enforce: 'post',
    transform(code, id) {
      if (id.includes('?') || !/\.(ts|m?js)$/.test(id)) return null;
      const name = id.replace(/^.*[\\/](node_modules|src)[\\/]/, '');
      return { code: `performance.mark(${JSON.stringify(MODULE_MARK + name)});\n${code}`, map: null };
    },
  };
}

/** The entry: the widgets' code, which defines the elements. */
const ENTRY = src('embed/layerlab.ts');

/**
 * What a playground on the simulator runs before its terminal takes keys, each imported as it starts, by a dynamic
 * `import()`: the simulator's start (sim-modules.ts's `loadSim`: the engine on memory drivers, and what reads a
 * `-i`/`-t` command's flags, `attach-mode.ts` with the CLI) and the two UI catalogs (embed-catalogs.ts).
 */
const START_IMPORTS = [
  'sim/create-sim-engine.ts',
  'sim/memory-workspace.ts',
  'sim/fetched-layer-source.ts',
  'client/attach-mode.ts',
  'i18n/ko.json',
  'i18n/en.json',
].map(src);

/**
 * The modules of the embed's one start file, `layerlab.js`: the entry, `START_IMPORTS` and all
 * they import statically. One file, not one per part asked for at once: each request a module script makes costs
 * the page's main thread (~12 ms at 4× CPU throttling), each file's response and compile waits for it, and a
 * catalog in a file of its own was a round trip more before the terminal took keys — navigation → keys 401 → 346 ms
 * side by side (BENCHMARKS.md, issue 15). The price: a `server=` widget fetches the simulator it falls back to, and
 * a widget both languages' strings (1.5 KB gzipped more). No compile hint (`//# allFunctionsCalledOnLoad`) on it:
 * V8 would compile all of it, the commands no one has typed yet too, before the module could run — keys came
 * 23 ms later at 4× in three runs side by side than with V8 compiling each function when first called.
 * @param {(id: string) => import('vite').Rollup.ModuleInfo | null} getModuleInfo
 */
function startModules(getModuleInfo) {
  const seen = new Set([ENTRY, ...START_IMPORTS]);
  for (const id of seen) for (const next of getModuleInfo(id)?.importedIds ?? []) seen.add(next);
  return seen;
}

/**
 * `/embed/v1/layerlab.js` (src/embed/layerlab.ts) and its chunks beside it, built into the
 * site's `dir` with the site: an ES module on another origin than the page that loads it,
 * so its chunks are found from its own URL (`base: './'`) and there is no modulepreload
 * helper (it would add `<link>`s to the host page). `plugins`: the site's transforms the
 * shared code needs (Monaco's styles as code, dockerfile-ast's local Buffer). Returns a line for the build's log.
 * @param {string} dir
 * @param {import('vite').Plugin[]} plugins
 */
export async function buildEmbed(dir, plugins) {
  const outDir = resolve(dir, EMBED_DIR);
  /** @type {Set<string> | undefined} */
  let start;
  await build({
    configFile: false,
    logLevel: 'warn',
    base: './',
    plugins: [
      ...(process.env.LAYERLAB_EMBED_MARKS ? [moduleMarks()] : []),
      plainDynamicImports(),
      noPageCss(),
      zodWithoutGlobals(),
      catalogForEmbed(),
      editorCatalog(),
      ...plugins,
    ],
    // Code the site's pages run and a widget never does, cut from the embed's build: a workshop's lesson page
    // (page-engine.ts), which no widget is.
    define: { 'import.meta.env.LAYERLAB_EMBED': 'true' },
    build: {
      outDir,
      emptyOutDir: true,
      copyPublicDir: false,
      modulePreload: false,
      target: 'es2022',
      // Terser, not esbuild's minifier: 3 % fewer gzipped bytes (8 KB of the bundle; issue 15's 200 KB), for seconds of build.
      // Two passes: the second folds what the first inlined. Monaco's chunks too, which a widget fetches with its editor.
      minify: 'terser',
      // LAYERLAB_EMBED_NAMES=1 keeps the functions' names, for reading a profile (bench/embed-trace.ts); never in a release.
      terserOptions: { module: true, compress: { passes: 2 }, ...(process.env.LAYERLAB_EMBED_NAMES ? { mangle: false, keep_fnames: true } : {}) },
      chunkSizeWarningLimit: 4096,
      rollupOptions: {
        input: { layerlab: ENTRY },
        preserveEntrySignatures: 'exports-only',
        // Monaco in the site's four chunks by its layers (monaco-build.mjs), fetched only by a widget with an editor.
        output: {
          format: 'es',
          entryFileNames: '[name].js',
          chunkFileNames: '[name]-[hash].js',
          assetFileNames: '[name]-[hash][extname]',
          // Everything a widget runs before its terminal takes keys in the entry's file (startModules); Monaco in its
          // layers' chunks; the rest — what a command fetches on use — left to Rollup.
          manualChunks: (id, { getModuleInfo }) => {
            start ??= startModules(getModuleInfo);
            return start.has(id) || id.includes('vite/preload-helper') ? 'layerlab' : editorChunk(id);
          },
        },
      },
    },
  });
  return `embed bundle in ${EMBED_DIR}/`;
}
