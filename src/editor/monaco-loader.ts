/**
 * Monaco, loaded only when an editor is on screen: this module is itself reached by a
 * dynamic `import()` from `<ll-editor>`, so a page without an editor never fetches it.
 * Only the editor core, the features a Dockerfile needs and the Dockerfile grammar are
 * bundled (monaco-editor/editor, not the all-languages entry point).
 */
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import type * as MonacoApi from 'monaco-editor/editor';

export type Monaco = typeof MonacoApi;

let loading: Promise<Monaco> | undefined;

export function loadMonaco(): Promise<Monaco> {
  loading ??= (async () => {
    // Monaco asks for its worker by label; every language here uses the base editor
    // worker (Dockerfile's language service runs on the page, it is small and synchronous).
    (globalThis as { MonacoEnvironment?: unknown }).MonacoEnvironment = { getWorker: () => new EditorWorker() };
    const [monaco] = await Promise.all([
      import('monaco-editor/editor'),
      import('monaco-editor/features/hover/register'),
      import('monaco-editor/features/suggest/register'),
      import('monaco-editor/features/snippet/register'),
      import('monaco-editor/features/gotoError/register'),
      import('monaco-editor/features/bracketMatching/register'),
      import('monaco-editor/features/comment/register'),
      import('monaco-editor/features/find/register'),
      import('monaco-editor/features/clipboard/register'),
      import('monaco-editor/features/contextmenu/register'),
      import('monaco-editor/features/linesOperations/register'),
      import('monaco-editor/features/multicursor/register'),
      import('monaco-editor/features/wordHighlighter/register'),
      import('monaco-editor/features/toggleTabFocusMode/register'),
      import('monaco-editor/languages/definitions/dockerfile/register'),
    ]);
    return monaco;
  })();
  return loading;
}
