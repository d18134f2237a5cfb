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

/** The modules a playground on the simulator imports as it starts (embed-widget.ts, page-engine.ts's simEngine). */
const SIM_START = /[\\/]src[\\/]sim[\\/](create-sim-engine|memory-workspace|fetched-layer-source)\.ts$/;
/**
 * What reads a command line without running it: a `-i`/`-t` command's flags (attach-mode.ts, a `server=` widget's
 * too). The CLI it imports is the simulator's too. (Tab's completion.ts stays a chunk of its own, fetched on the first Tab.)
 */
const CLI_READERS = [fileURLToPath(new URL('../../src/client/attach-mode.ts', import.meta.url))];

export const COMPILE_HINT = '//# allFunctionsCalledOnLoad';

/**
 * V8's explicit compile hint (Chrome 136+) on the chunks a widget runs before its terminal takes keys — the entry,
 * the widgets' (embed-elements.ts), the simulator's and their static imports: their functions are compiled eagerly while the file streams in, on a
 * background thread, instead of one by one on the main thread the first time each is called (most of a cold start
 * at 4× throttling was that). Other engines ignore the comment. Not on the chunks fetched on use (the editor,
 * the terminal emulator, the Dockerfile parser…): compiled eagerly they would cost time that nothing needs yet.
 * @returns {import('vite').Plugin}
 */
function compileHintsForStart() {
  return {
    name: 'layerlab:embed-compile-hints',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
      const byName = new Map(chunks.map((c) => [c.fileName, c]));
      /** @type {Set<import('vite').Rollup.OutputChunk>} */
      const hinted = new Set();
      /** @param {import('vite').Rollup.OutputChunk | undefined} chunk */
      const mark = (chunk) => {
        if (!chunk || hinted.has(chunk)) return;
        hinted.add(chunk);
        for (const name of chunk.imports) mark(byName.get(name));
      };
      for (const chunk of chunks) if (chunk.isEntry || chunk.moduleIds.some((id) => id === ELEMENTS || SIM_START.test(id))) mark(chunk);
      // At the very top, where V8 looks for it (after minification, which drops comments).
      for (const chunk of hinted) chunk.code = `${COMPILE_HINT}\n${chunk.code}`;
    },
  };
}

const ENTRY = fileURLToPath(new URL('../../src/embed/layerlab.ts', import.meta.url));
/** The widgets' code, which the entry asks for beside the simulator's (src/embed/layerlab.ts). */
const ELEMENTS = fileURLToPath(new URL('../../src/embed/embed-elements.ts', import.meta.url));

/**
 * Which start chunk each module of the start goes in, by what imports it statically (directly or through its
 * imports): the entry's own (`layerlab`, a small file); the widgets' code (`embed-elements`) and what it shares with
 * the simulator, which the simulator's chunk then imports (left to Rollup, the shared modules joined the simulator's
 * chunk, which a `server=` widget would then fetch for its elements); the CLI's readers' own (`cli`: a `server=`
 * widget reads a `-i`/`-t` command's flags with it, and no simulator).
 * @param {(id: string) => import('vite').Rollup.ModuleInfo | null} getModuleInfo
 */
function startChunks(getModuleInfo) {
  /** @param {string[]} from */
  const closure = (from) => {
    const seen = new Set(from);
    for (const id of seen) for (const next of getModuleInfo(id)?.importedIds ?? []) seen.add(next);
    return seen;
  };
  const entry = closure([ENTRY]);
  const elements = new Set([...closure([ELEMENTS])].filter((id) => !entry.has(id)));
  const cli = new Set([...closure(CLI_READERS)].filter((id) => !entry.has(id) && !elements.has(id)));
  /** @param {string} id */
  return (id) => (entry.has(id) ? 'layerlab' : elements.has(id) ? 'embed-elements' : cli.has(id) ? 'cli' : undefined);
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
  /** @type {((id: string) => string | undefined) | undefined} */
  let startChunk;
  await build({
    configFile: false,
    logLevel: 'warn',
    base: './',
    plugins: [compileHintsForStart(), plainDynamicImports(), noPageCss(), zodWithoutGlobals(), catalogForEmbed(), editorCatalog(), ...plugins],
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
          // The preload helper in the entry's chunk: left to Rollup it joins a Monaco layer, which the entry would then
          // import; a chunk of its own is a request more before a widget starts.
          // The simulator's start modules in one chunk, which Rollup fills with their static imports the start chunks
          // before it do not hold (the engine): split by Rollup, those chunks were requested only once the simulator's
          // own had been fetched and parsed (BENCHMARKS.md, issue 15). The entry, the widgets' code and the CLI's
          // readers by startChunks; page-engine.ts and the entry ask for the CLI's beside the simulator's, so neither
          // waits for the other.
          manualChunks: (id, { getModuleInfo }) => {
            if (id.includes('vite/preload-helper')) return 'layerlab';
            if (SIM_START.test(id)) return 'sim-start';
            startChunk ??= startChunks(getModuleInfo);
            return startChunk(id) ?? editorChunk(id);
          },
        },
      },
    },
  });
  return `embed bundle in ${EMBED_DIR}/`;
}
