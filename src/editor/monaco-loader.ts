/**
 * Monaco, loaded only when an editor is on screen: this module is reached only through
 * `<ll-editor>`'s dynamic `import()` of editor-session.ts, so a page without an editor
 * never fetches it. Only the editor core, the features a Dockerfile needs and the
 * Dockerfile grammar are bundled (monaco-editor/editor, not the all-languages entry).
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
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/clipboard/register';
import 'monaco-editor/features/contextmenu/register';
import 'monaco-editor/features/linesOperations/register';
import 'monaco-editor/features/multicursor/register';
import 'monaco-editor/features/wordHighlighter/register';
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
