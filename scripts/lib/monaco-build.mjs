// @ts-check
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The editor's code in a few chunks (the site's and the embed's) by Monaco's own layers (base ← platform and the
 * model ← the view ← features), not one 3.5 MB file: the browser fetches them at once and
 * compiles each on its own background thread, where one file is compiled on one thread
 * while the page waits (issue 8: opening the editor under 1.5 s). The layers import only
 * downwards, so no chunk imports one that imports it.
 */
/** @param {string} id */
export function editorChunk(id) {
  // Rollup pulls a manual chunk's unassigned imports into it, and every page uses Vite's
  // preload helper: it keeps a chunk of its own, or each page would load Monaco's base.
  if (id.includes('vite/preload-helper')) return 'preload-helper';
  // Stylesheets are Astro's to place (it links each page only the CSS its scripts reach).
  if (/\.css($|\?)/.test(id)) return undefined;
  // Where Monaco's styles go: every layer's styles and the embed's editor import it, so it
  // belongs to none of them (pulled into one, it made the layers import each other).
  if (/[\\/]src[\\/]editor[\\/]monaco-styles\.ts$/.test(id)) return 'monaco-styles';
  // A worker's URL (`?worker&url`) goes with the code that starts the worker, not into a layer.
  if (id.includes('?worker')) return undefined;
  const monaco = /node_modules\/monaco-editor\/esm\/vs\/(.*)$/.exec(id)?.[1];
  if (monaco === undefined) return undefined;
  if (monaco.startsWith('base/') || monaco.startsWith('nls') || monaco === 'amdX.js') return 'monaco-base';
  if (monaco.startsWith('platform/') || monaco.startsWith('editor/common/')) return 'monaco-model';
  if (monaco.startsWith('editor/browser/')) return 'monaco-view';
  return 'monaco-features';
}

/** The prefix of the modules each of Monaco's `import './x.css'` becomes. */
export const MONACO_CSS = 'll-monaco-css:';

const STYLES = JSON.stringify(fileURLToPath(new URL('../../src/editor/monaco-styles.ts', import.meta.url)));
const STYLESHEETS_MODULE = /node_modules[\\/]monaco-editor[\\/]esm[\\/]vs[\\/]base[\\/]browser[\\/]domStylesheets\.js$/;
const CREATE = 'function createStyleSheet(container = mainWindow.document.head, beforeAppend, disposableStore) {';

/**
 * Monaco's stylesheets arrive with its code, as calls of `addMonacoCss`
 * (src/editor/monaco-styles.ts) its modules make when they run, instead of as CSS files:
 * Astro links on a page every stylesheet its scripts can reach, dynamic imports included, so
 * a lesson page whose route can hold an editor would block its first paint on Monaco's 150 KB
 * of CSS even with no editor on it; and an embed's editor is in a shadow root, where
 * `monaco-styles.ts` adopts them instead. Each `import './x.css'` becomes a module at the same
 * place, so the cascade keeps its order. Monaco's `createStyleSheet` (the sheets it makes as it
 * runs) asks `adoptedMonacoStyle` first, which answers only in an embed.
 * @returns {import('vite').Plugin}
 */
export function monacoStylesWithCode() {
  return {
    name: 'layerlab:monaco-styles-with-code',
    enforce: 'pre',
    transform(code, id) {
      if (STYLESHEETS_MODULE.test(id)) {
        if (!code.includes(CREATE)) throw new Error(`${id}: createStyleSheet is not where monaco-build.mjs expects it`);
        const patched = code.replace(
          CREATE,
          `${CREATE}\n    const adopted = __llAdoptedMonacoStyle(container, beforeAppend);\n    if (adopted) {\n        disposableStore?.add(toDisposable(() => adopted.remove()));\n        return adopted;\n    }`,
        );
        return { code: `import { adoptedMonacoStyle as __llAdoptedMonacoStyle } from ${STYLES};\n${patched}`, map: null };
      }
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
      return `import css from ${JSON.stringify(`${file}?inline`)};\nimport { addMonacoCss } from ${STYLES};\naddMonacoCss(css);\n`;
    },
  };
}
