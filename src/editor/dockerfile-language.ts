import { DockerfileLanguageServiceFactory } from 'dockerfile-language-service';
import {
  CompletionItemKind as LspKind,
  DiagnosticSeverity,
  InsertTextFormat,
  MarkupContent,
  type CompletionItem,
  type Diagnostic,
  type MarkedString,
  type Range,
} from 'vscode-languageserver-types';
import type { editor, IDisposable, IMarkdownString, IRange, languages } from 'monaco-editor/editor';
import type { ImageState } from '../engine/state.js';
import type { Monaco } from './monaco-loader.js';
import { baseImageCandidates, fromImageSlot } from './from-image-completion.js';

export const LANGUAGE_ID = 'dockerfile';
const MARKER_OWNER = 'dockerfile-language-service';

/** LSP ranges are 0-based; Monaco's are 1-based. */
const toRange = (r: Range): IRange => ({
  startLineNumber: r.start.line + 1,
  startColumn: r.start.character + 1,
  endLineNumber: r.end.line + 1,
  endColumn: r.end.character + 1,
});

const lspKindName = new Map<number, string>(Object.entries(LspKind).map(([name, value]) => [value as number, name]));

function markdown(contents: MarkupContent | MarkedString | MarkedString[]): IMarkdownString[] {
  if (MarkupContent.is(contents)) return [{ value: contents.value }];
  const list = Array.isArray(contents) ? contents : [contents];
  return list.map((c) => ({ value: typeof c === 'string' ? c : `\`\`\`${c.language}\n${c.value}\n\`\`\`` }));
}

/**
 * Registers the Dockerfile language features on Monaco, from the maintained language
 * service (completion of instructions, flags and directives, hover docs, diagnostics),
 * with the base images of FROM completed from the session's images (`images()`).
 * Monaco's own Monarch grammar does the highlighting.
 */
export function registerDockerfileLanguage(monaco: Monaco, images: () => Promise<readonly ImageState[]>): IDisposable {
  const service = DockerfileLanguageServiceFactory.createLanguageService();
  service.setCapabilities({
    completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown'], deprecatedSupport: true } },
    hover: { contentFormat: ['markdown'] },
  });
  const toItem = (item: CompletionItem, fallback: IRange): languages.CompletionItem => {
    const edit = item.textEdit && 'range' in item.textEdit ? item.textEdit : undefined;
    const doc = item.documentation;
    return {
      label: item.label,
      kind:
        monaco.languages.CompletionItemKind[lspKindName.get(item.kind ?? LspKind.Text) as keyof typeof monaco.languages.CompletionItemKind] ??
        monaco.languages.CompletionItemKind.Text,
      insertText: edit?.newText ?? item.insertText ?? item.label,
      range: edit ? toRange(edit.range) : fallback,
      ...(item.insertTextFormat === InsertTextFormat.Snippet
        ? { insertTextRules: monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet }
        : {}),
      ...(item.detail ? { detail: item.detail } : {}),
      ...(doc ? { documentation: typeof doc === 'string' ? doc : { value: doc.value } } : {}),
      // The service resolves documentation lazily; keep the original item to resolve from.
      ...({ lsp: item } as object),
    };
  };

  const disposables: IDisposable[] = [
    monaco.languages.registerCompletionItemProvider(LANGUAGE_ID, {
      triggerCharacters: [' ', '-', '=', '$', '{', ':'],
      async provideCompletionItems(model, position) {
        const content = model.getValue();
        const at = { line: position.lineNumber - 1, character: position.column - 1 };
        const word = model.getWordUntilPosition(position);
        const fallback: IRange = {
          startLineNumber: position.lineNumber,
          startColumn: word.startColumn,
          endLineNumber: position.lineNumber,
          endColumn: word.endColumn,
        };
        const slot = fromImageSlot(content, at);
        if (slot) {
          const range: IRange = {
            startLineNumber: slot.line + 1,
            startColumn: slot.start + 1,
            endLineNumber: slot.line + 1,
            endColumn: slot.end + 1,
          };
          const names = baseImageCandidates(await images(), slot.prefix);
          return { suggestions: names.map((name) => ({ label: name, kind: monaco.languages.CompletionItemKind.Module, insertText: name, range })) };
        }
        const items = await service.computeCompletionItems(content, at);
        return { suggestions: items.map((item) => toItem(item, fallback)) };
      },
      resolveCompletionItem(item) {
        const lsp = (item as { lsp?: CompletionItem }).lsp;
        if (!lsp || item.documentation) return item;
        const doc = service.resolveCompletionItem(lsp).documentation;
        return doc ? { ...item, documentation: typeof doc === 'string' ? doc : { value: doc.value } } : item;
      },
    }),
    monaco.languages.registerHoverProvider(LANGUAGE_ID, {
      provideHover(model, position) {
        const hover = service.computeHover(model.getValue(), { line: position.lineNumber - 1, character: position.column - 1 });
        if (!hover) return null;
        return { contents: markdown(hover.contents), ...(hover.range ? { range: toRange(hover.range) } : {}) };
      },
    }),
  ];

  const severity = (d: Diagnostic) =>
    d.severity === DiagnosticSeverity.Warning
      ? monaco.MarkerSeverity.Warning
      : d.severity === DiagnosticSeverity.Information
        ? monaco.MarkerSeverity.Info
        : d.severity === DiagnosticSeverity.Hint
          ? monaco.MarkerSeverity.Hint
          : monaco.MarkerSeverity.Error;
  const validate = (model: editor.ITextModel) => {
    if (model.getLanguageId() !== LANGUAGE_ID) return monaco.editor.setModelMarkers(model, MARKER_OWNER, []);
    const markers = service.validate(model.getValue()).map((d) => ({
      ...toRange(d.range),
      message: d.message,
      severity: severity(d),
      source: 'dockerfile',
      ...(d.code !== undefined ? { code: String(d.code) } : {}),
    }));
    monaco.editor.setModelMarkers(model, MARKER_OWNER, markers);
  };
  const timers = new WeakMap<editor.ITextModel, ReturnType<typeof setTimeout>>();
  const watch = (model: editor.ITextModel) => {
    validate(model);
    // Diagnostics as you type, but not on every keystroke of a fast typist.
    disposables.push(
      model.onDidChangeContent(() => {
        clearTimeout(timers.get(model));
        timers.set(
          model,
          setTimeout(() => validate(model), 200),
        );
      }),
      model.onDidChangeLanguage(() => validate(model)),
    );
  };
  monaco.editor.getModels().forEach(watch);
  disposables.push(monaco.editor.onDidCreateModel(watch));
  return { dispose: () => disposables.forEach((d) => d.dispose()) };
}
