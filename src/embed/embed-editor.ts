import EditorWorkerUrl from 'monaco-editor/editor/editor.worker?worker&url';
import type { Labels } from '../client/labels.js';
import { format } from '../client/labels.js';
import type { HealingEngine } from '../client/healing-engine.js';
import type { EditorElement } from '../components/editor.element.js';
import '../components/editor.element.js';
import { adoptMonacoStyles, monacoStylesInShadowRoots } from '../editor/monaco-styles.js';
import editorCss from './editor.css?inline';
import { h } from './embed-markup.js';
import type { EmbedLang } from './embed-options.js';

/**
 * `<layerlab-playground editor>`'s editor: the site's `<ll-editor>` (Monaco, the Dockerfile
 * language service, the Build button, the build's annotations) on the widget's own engine and
 * files, in its shadow root. This module is fetched only by a widget that asks for an editor,
 * and Monaco only once that editor is on screen (editor.element.ts).
 */

/** The editor's strings, which the widgets' catalogs leave out: fetched with the editor. */
const catalogs: Record<EmbedLang, () => Promise<Labels>> = {
  ko: () => import('../i18n/ko.json?editor').then((m) => m.default),
  en: () => import('../i18n/en.json?editor').then((m) => m.default),
};

let workerScript: Promise<string> | undefined;

/**
 * Monaco's environment — the one thing an editor puts on `window` — and where its styles go.
 * A worker must come from the page's own origin, which the embed's is not: its script is
 * fetched (CORS, as the chunks are) and started from a blob: URL, so a strict CSP needs
 * `worker-src blob:`. Monaco asks for it asynchronously, so the fetch costs the editor no wait.
 */
function prepareMonaco(): void {
  monacoStylesInShadowRoots();
  (globalThis as { MonacoEnvironment?: unknown }).MonacoEnvironment ??= {
    getWorker: async () => {
      workerScript ??= fetch(EditorWorkerUrl)
        .then((r) => r.blob())
        .then((blob) => URL.createObjectURL(blob));
      return new Worker(await workerScript);
    },
  };
}

let sheet: CSSStyleSheet | undefined;
function editorSheet(): CSSStyleSheet {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(editorCss);
  }
  return sheet;
}

export interface EmbedEditorOptions {
  lang: EmbedLang;
  /** The file the editor opens first. */
  file: string;
  /** The widget's build context. */
  files: Record<string, string>;
  engine: Promise<HealingEngine>;
  /** Runs the Build button's `docker build` in the widget's terminal (or on its engine, without one). */
  run(command: string): Promise<void>;
}

/** Puts the editor where `slot` is (in a widget's shadow root). */
export async function mountEditor(slot: HTMLElement, options: EmbedEditorOptions): Promise<EditorElement> {
  prepareMonaco();
  const root = slot.getRootNode();
  if (root instanceof ShadowRoot) {
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, editorSheet()];
    adoptMonacoStyles(root);
  }
  const labels = await catalogs[options.lang]();
  const files = Object.entries(options.files).map(([path, content]) => ({ path, content }));
  // The editor's file first: it is the one it opens; one not among the files starts empty.
  const opened = files.find((f) => f.path === options.file) ?? { path: options.file, content: '' };
  const editor = editorMarkup(labels, [opened, ...files.filter((f) => f !== opened)]) as EditorElement;
  editor.engineFrom = () => options.engine;
  editor.runCommand = options.run;
  slot.replaceWith(editor);
  return editor;
}

/** The markup `Editor.astro` renders, made here for the shadow root. */
function editorMarkup(labels: Labels, files: { path: string; content: string }[]): HTMLElement {
  const t = (key: string) => format(labels, key);
  return h(
    'll-editor',
    { 'data-labels': JSON.stringify(labels), 'data-files': JSON.stringify(files), 'data-tag': 'my-image', 'data-standalone': true, part: 'editor' },
    h('h2', { class: 'visually-hidden' }, t('editor.label')),
    h(
      'div',
      { class: 'bar' },
      h('nav', { 'aria-label': t('editor.files') }, h('ul', { 'data-file-list': true })),
      h(
        'form',
        { 'data-add-file': true },
        h('input', {
          type: 'text',
          'aria-label': t('editor.newFileName'),
          placeholder: 'hello.txt',
          autocomplete: 'off',
          spellcheck: 'false',
          lang: 'en',
        }),
        h('button', { type: 'submit' }, t('editor.addFile')),
      ),
      h('button', { type: 'button', class: 'build', 'data-build': true, disabled: true }, t('editor.build')),
    ),
    h('div', { class: 'monaco', 'data-monaco': true, lang: 'en' }),
    h('p', { class: 'keys' }, t('editor.keys')),
    h('ol', { class: 'annotations', 'data-annotations': true, 'aria-label': t('editor.label') }),
    h('p', { class: 'status', 'data-status': true, role: 'status' }),
  );
}
