import type { editor, IDisposable } from 'monaco-editor/editor';
import type { ImageState } from '../engine/state.js';
import type { LineAnnotation } from './build-annotations.js';
import { registerDockerfileLanguage } from './dockerfile-language.js';
import { languageOf } from './file-language.js';
import { loadMonaco, type Monaco } from './monaco-loader.js';
import { followSiteTheme } from './monaco-theme.js';

export interface ContextFile {
  path: string;
  content: string;
}

export interface EditorSessionOptions {
  host: HTMLElement;
  files: readonly ContextFile[];
  active: string;
  ariaLabel: string;
  /** The session's images, for FROM completion. */
  images(): Promise<readonly ImageState[]>;
  /** Ctrl/Cmd-Enter. */
  onBuild(): void;
  onChange(): void;
  /** The annotated line under the pointer (1-based), null when it leaves. */
  onHoverLine(path: string, line: number | null): void;
  /** Where the editor's colours are read (monaco-theme.ts): the page's root, or an embed's box. */
  themeSource?: Element;
}

/** How an annotation reads: at the end of its line, and in the hover. */
export interface AnnotationView {
  annotation: LineAnnotation;
  text: string;
  detail: string;
}

export interface EditorSession {
  files(): ContextFile[];
  active(): string;
  /** Shows a file; the editor takes the keys unless `focus` is false. */
  open(path: string, opts?: { focus?: boolean }): void;
  add(file: ContextFile): void;
  /** Replaces every file (a shared link's state, a step's preset files); the keys stay where they are. */
  replace(files: readonly ContextFile[]): void;
  annotate(path: string, views: readonly AnnotationView[]): void;
  /** Scrolls to the line and selects it; `focus: false` leaves the keyboard where it is (a graph node the learner chose). */
  reveal(path: string, line: number, opts?: { focus?: boolean }): void;
  dispose(): void;
}

let language: IDisposable | undefined;
let sessionImages: () => Promise<readonly ImageState[]> = async () => [];

/** One Monaco editor over the build context's files, one model per file. */
export async function createEditorSession(opts: EditorSessionOptions): Promise<EditorSession> {
  const monaco: Monaco = await loadMonaco();
  // The language service is registered once per page; it asks the latest session for images.
  sessionImages = opts.images;
  language ??= registerDockerfileLanguage(monaco, () => sessionImages());
  const models = new Map<string, editor.ITextModel>();
  const decorations = new Map<string, editor.IEditorDecorationsCollection>();
  const annotated = new Map<string, readonly AnnotationView[]>();
  const modelFor = (file: ContextFile) => {
    const uri = monaco.Uri.from({ scheme: 'file', path: `/context/${file.path}` });
    const model = monaco.editor.getModel(uri) ?? monaco.editor.createModel(file.content, languageOf(file.path), uri);
    model.setValue(file.content);
    models.set(file.path, model);
    return model;
  };
  for (const f of opts.files) modelFor(f);
  let activePath = models.has(opts.active) ? opts.active : opts.files[0]!.path;

  const ed = monaco.editor.create(opts.host, {
    model: models.get(activePath)!,
    automaticLayout: true,
    minimap: { enabled: false },
    fontSize: 14,
    lineNumbersMinChars: 3,
    scrollBeyondLastLine: false,
    ariaLabel: opts.ariaLabel,
    fixedOverflowWidgets: true,
    // Annotations are drawn after the text; long lines wrap rather than hide them.
    wordWrap: 'on',
    tabFocusMode: false,
  });
  const stopTheme = followSiteTheme(monaco, opts.themeSource);
  ed.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => opts.onBuild());
  const subs: IDisposable[] = [ed.onDidChangeModelContent(() => opts.onChange())];
  let hovered: number | null = null;
  subs.push(
    ed.onMouseMove((e) => {
      const line = e.target.position?.lineNumber ?? null;
      const hit = line !== null && (annotated.get(activePath) ?? []).some((v) => v.annotation.line === line) ? line : null;
      if (hit !== hovered) opts.onHoverLine(activePath, (hovered = hit));
    }),
    ed.onMouseLeave(() => {
      if (hovered !== null) opts.onHoverLine(activePath, (hovered = null));
    }),
  );

  const draw = (path: string) => {
    const model = models.get(path);
    if (!model) return;
    const views = annotated.get(path) ?? [];
    const deltas: editor.IModelDeltaDecoration[] = views
      .filter((v) => v.annotation.line <= model.getLineCount())
      .map(({ annotation: a, text, detail }) => ({
        range: new monaco.Range(a.line, 1, a.line, model.getLineMaxColumn(a.line)),
        options: {
          isWholeLine: a.kind === 'failed',
          className: a.kind === 'failed' ? 'll-line-failed' : null,
          linesDecorationsClassName: `ll-gutter ll-gutter-${a.kind}${'cached' in a && a.cached ? ' ll-gutter-cached' : ''}`,
          hoverMessage: [{ value: `**${text}**` }, { value: '```\n' + detail + '\n```' }],
          after: {
            content: `  ${text}`,
            inlineClassName: `ll-annotation ll-annotation-${a.kind}${'cached' in a && a.cached ? ' ll-annotation-cached' : ''}`,
          },
        },
      }));
    if (path !== activePath) return;
    decorations.get(path)?.clear();
    decorations.set(path, ed.createDecorationsCollection(deltas));
  };

  const session: EditorSession = {
    files: () => [...models.entries()].map(([path, model]) => ({ path, content: model.getValue() })),
    active: () => activePath,
    open(path, opts = {}) {
      const model = models.get(path);
      if (!model || path === activePath) return;
      decorations.get(activePath)?.clear();
      activePath = path;
      ed.setModel(model);
      draw(path);
      if (opts.focus !== false) ed.focus();
    },
    add(file) {
      if (!models.has(file.path)) modelFor(file);
      session.open(file.path);
    },
    replace(files) {
      if (files.length === 0) return;
      for (const [path, model] of models) {
        if (files.some((f) => f.path === path)) continue;
        if (path === activePath) ed.setModel(null);
        model.dispose();
        models.delete(path);
        annotated.delete(path);
      }
      for (const f of files) modelFor(f);
      activePath = '';
      // Not focused: a step's files arrive as the learner's command at the prompt completes the step before, and the
      // next line they type must not land in the Dockerfile (a CI run's lesson-editor test typed `docker system df` into it).
      session.open(files[0]!.path, { focus: false });
    },
    annotate(path, views) {
      annotated.set(path, views);
      draw(path);
    },
    reveal(path, line, opts = {}) {
      session.open(path, opts);
      ed.revealLineInCenter(line);
      ed.setSelection(new monaco.Range(line, 1, line, models.get(path)!.getLineMaxColumn(line)));
      if (opts.focus !== false) ed.focus();
    },
    dispose() {
      subs.forEach((s) => s.dispose());
      stopTheme();
      ed.dispose();
      for (const m of models.values()) m.dispose();
    },
  };
  return session;
}
