/**
 * Monaco, loaded only when an editor is on screen: this module is reached only through
 * `<ll-editor>`'s dynamic `import()` of editor-session.ts, so a page without an editor
 * never fetches it. Only the editor core (monaco-editor/editor is editor.api, no language
 * or feature of its own), the features a Dockerfile editor needs and the Dockerfile grammar
 * are bundled: every feature added here is parsed and run before the editor shows.
 * Left out, for the time they cost (issue 8's 1.5 s): find (the browser's own finds the
 * few lines a lesson's Dockerfile has), the clipboard actions and context menu (the
 * keyboard's copy and paste are the core's), multi-cursor, line moves and word highlights.
 */
import * as monaco from 'monaco-editor/editor';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/suggest/register';
import 'monaco-editor/features/snippet/register';
import 'monaco-editor/features/gotoError/register';
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/comment/register';
// Tab types a tab in the editor; Ctrl-M (this) lets a keyboard user leave it.
import 'monaco-editor/features/toggleTabFocusMode/register';
import 'monaco-editor/languages/definitions/dockerfile/register';
// monaco-editor 0.57: features/suggest registers only the inline-completion bridge; the
// suggest widget itself (Ctrl-Space, the list as you type) is this contribution.
import 'monaco-editor/editor/contrib/suggest/browser/suggestController';

export type Monaco = typeof monaco;

export async function loadMonaco(): Promise<Monaco> {
  // Monaco asks for its worker by label; every language here uses the base editor
  // worker (the Dockerfile language service runs on the page: it is small and synchronous).
  (globalThis as { MonacoEnvironment?: unknown }).MonacoEnvironment ??= { getWorker: () => new EditorWorker() };
  return monaco;
}
