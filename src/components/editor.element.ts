import type { Engine } from '../engine/engine.js';
import type { EngineEvent } from '../engine/events.js';
import { format, readLabels, type Labels } from '../client/labels.js';
import type { HealingEngine } from '../client/healing-engine.js';
import { pageEngine } from '../client/page-engine.js';
import { noPageEngine } from './no-page-engine.js';
import { annotationDetail, annotationText } from '../editor/annotation-text.js';
import { buildAnnotations, buildsFile, isBuildEvent, type LineAnnotation } from '../editor/build-annotations.js';
import type { ContextFile, EditorSession } from '../editor/editor-session.js';
import { languageOf } from '../editor/file-language.js';
import { LAYER_HOVER_EVENT, LAYER_SELECT_EVENT, type LayerHoverDetail, type LayerSelectDetail } from '../editor/layer-link-event.js';
import { EDITOR_CHANGE_EVENT } from '../editor/editor-change-event.js';
import { CATCH_UP_EVENT, type CatchUpDetail } from './catch-up-event.js';
import { RUN_EVENT, type RunEventDetail } from './run-event.js';
import { tokenize } from '../engine/cli/tokenize.js';

export { EDITOR_CHANGE_EVENT };

/** A build the editor is watching: its events, for the file it builds. */
interface WatchedBuild {
  command: string;
  path: string;
  events: EngineEvent[];
  /** The tag the command names (`-t`), which the status says it built. */
  tag: string | null;
  /** The editor's files as they were when the build started: its annotations are theirs. */
  files: ContextFile[];
}

/**
 * `<ll-editor>`: the build context's files in Monaco, a file list, and a Build button
 * (or Ctrl/Cmd-Enter) that writes the files to the engine's workspace and runs
 * `docker build -t <tag> .` in the page's terminal. Each instruction's line then shows
 * the layer it made. Monaco is fetched only once the editor scrolls into view.
 */
export class EditorElement extends HTMLElement {
  private labels: Labels = {};
  private files: ContextFile[] = [];
  private session: EditorSession | undefined;
  private engine: Engine | undefined;
  private watched: WatchedBuild | undefined;
  private annotations = new Map<string, LineAnnotation[]>();
  /** The files each path's annotations were built from; an edit away from them drops the annotations. */
  private builtFrom = new Map<string, ContextFile[]>();
  private syncTimer: ReturnType<typeof setTimeout> | undefined;
  private sizes = new Map<string, number>();
  private unsubscribe: (() => void) | undefined;
  private visible: IntersectionObserver | undefined;
  private status!: HTMLElement;
  private list!: HTMLElement;
  private notes!: HTMLOListElement;
  private buildButton!: HTMLButtonElement;
  /**
   * Where the engine comes from: the page's one engine, unless an embed (`src/embed/`, one
   * engine per widget) gives the editor its own before it is connected.
   */
  engineFrom: () => Promise<HealingEngine> = import.meta.env.LAYERLAB_EMBED ? noPageEngine : pageEngine;
  /** Runs the Build button's command where commands run: an embed's own terminal; unset, the page's terminal (or the engine). */
  runCommand: ((command: string) => Promise<void>) | undefined;
  /**
   * `data-standalone` (an embed): the editor is not one of a page's islands — it hears no
   * layer links or catch-up from the page and tells the page nothing, so two widgets'
   * editors never hear each other; its colours are its widget's (the `.ll` box's theme).
   */
  private get standalone(): boolean {
    return this.hasAttribute('data-standalone');
  }
  /** A layer chosen in the picture: show the line that made it, keeping the keyboard in the graph. */
  private readonly onSelect = (event: Event) => {
    const { diffId } = (event as CustomEvent<LayerSelectDetail>).detail;
    for (const [path, list] of this.annotations) {
      const hit = list.find((a) => a.kind === 'layer' && a.diffId === diffId);
      if (hit) return this.session?.reveal(path, hit.line, { focus: false });
    }
  };

  /** The page's engine was replaced (a new session): the build context is written again before the catch-up runs. */
  private readonly onCatchUp = (event: Event) => {
    (event as CustomEvent<CatchUpDetail>).detail.ready.push(this.writeFiles());
  };

  connectedCallback(): void {
    this.labels = readLabels(this);
    this.files = JSON.parse(this.dataset.files ?? '[]') as ContextFile[];
    if (this.files.length === 0) this.files = [{ path: 'Dockerfile', content: 'FROM busybox\n' }];
    this.status = this.querySelector('[data-status]')!;
    this.list = this.querySelector('[data-file-list]')!;
    this.notes = this.querySelector('[data-annotations]')!;
    this.buildButton = this.querySelector('[data-build]')!;
    this.buildButton.addEventListener('click', () => void this.build());
    this.querySelector<HTMLFormElement>('[data-add-file]')!.addEventListener('submit', (event) => {
      event.preventDefault();
      const input = (event.currentTarget as HTMLFormElement).querySelector('input')!;
      const path = input.value.trim().replace(/^\.\/+/, '');
      if (!path || path.split('/').some((s) => s === '' || s === '.' || s === '..')) return;
      input.value = '';
      if (!this.files.some((f) => f.path === path)) this.files.push({ path, content: '' });
      this.session?.add({ path, content: '' });
      this.renderFileList(path);
      this.changed();
    });
    if (!this.standalone) {
      document.addEventListener(LAYER_SELECT_EVENT, this.onSelect);
      document.addEventListener(CATCH_UP_EVENT, this.onCatchUp);
    }
    this.renderFileList(this.files[0]!.path);
    // Monaco is large: fetch it only when the editor is (nearly) on screen.
    this.visible = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          this.visible?.disconnect();
          void this.load();
        }
      },
      { rootMargin: '200px' },
    );
    this.visible.observe(this);
  }

  disconnectedCallback(): void {
    this.visible?.disconnect();
    this.unsubscribe?.();
    document.removeEventListener(LAYER_SELECT_EVENT, this.onSelect);
    document.removeEventListener(CATCH_UP_EVENT, this.onCatchUp);
    this.session?.dispose();
  }

  /** The files as they are now (the playground encodes them in its link). */
  contextFiles(): ContextFile[] {
    return this.session?.files() ?? this.files.map((f) => ({ ...f }));
  }

  /** Replaces the files (a shared link's state). */
  setFiles(files: ContextFile[]): void {
    if (files.length === 0) return;
    this.files = files.map((f) => ({ ...f }));
    this.session?.replace(this.files);
    this.renderFileList(this.files[0]!.path);
    this.dropStaleAnnotations();
    this.scheduleSync();
  }

  /** Writes the files to the engine's workspace, so `docker build .` reads them. */
  async writeFiles(opts: { quiet?: boolean } = {}): Promise<boolean> {
    const engine = await this.engineFrom();
    if (!engine.workspace) {
      if (!opts.quiet) this.say('editor.noWorkspace');
      return false;
    }
    const encoder = new TextEncoder();
    for (const f of this.contextFiles()) await engine.workspace.write(f.path, encoder.encode(f.content));
    return true;
  }

  private async load(): Promise<void> {
    this.say('editor.loading');
    // Marks for bench/editor.bench.ts: opening the editor is the time between them.
    performance.mark('ll-editor-load');
    const host = this.querySelector<HTMLElement>('[data-monaco]')!;
    try {
      // Monaco does not wait for the engine (the terminal starts it too); Build does.
      const engine = this.engineFrom().then((e) => {
        this.engine = e;
        this.unsubscribe = e.subscribe((event) => this.onEngineEvent(event));
        return e;
      });
      const { createEditorSession } = await import('../editor/editor-session.js');
      this.session = await createEditorSession({
        host,
        files: this.files,
        active: this.files[0]!.path,
        ariaLabel: format(this.labels, 'editor.label'),
        images: async () => (await (await engine).state()).images,
        onBuild: () => void this.build(),
        onChange: () => this.changed(),
        onHoverLine: (path, line) => this.hoverLine(path, line),
        ...(this.standalone ? { themeSource: this.closest('.ll') ?? this } : {}),
      });
      this.dataset.ready = '';
      performance.mark('ll-editor-ready');
      await engine;
      // A `docker build` typed in the terminal reads the workspace: it holds what the editor shows.
      await this.sync();
      this.buildButton.disabled = false;
      this.say(null);
    } catch (err) {
      this.say('editor.loadFailed', { message: err instanceof Error ? err.message : String(err) });
    }
  }

  private async build(): Promise<void> {
    if (!this.session) return;
    const path = this.session.active();
    // The file on screen when it is a Dockerfile (`-f`), else the context's default.
    const dockerfile = languageOf(path) === 'dockerfile' ? path : 'Dockerfile';
    const tag = this.dataset.tag || 'my-image';
    const command = `docker build -t ${tag}${dockerfile === 'Dockerfile' ? '' : ` -f ${dockerfile}`} .`;
    if (!(await this.writeFiles())) return;
    this.say('editor.building', { tag });
    // The page's terminal runs it, so the output streams where commands always do.
    if (this.runCommand) await this.runCommand(command);
    else if (document.querySelector('ll-terminal'))
      document.dispatchEvent(new CustomEvent<RunEventDetail>(RUN_EVENT, { detail: { commands: [command] } }));
    else await this.engine!.exec(command);
  }

  private onEngineEvent(event: EngineEvent): void {
    if (event.type === 'command.started') {
      const path = this.files.map((f) => f.path).find((p) => buildsFile(event.command, p));
      this.watched = path ? { command: event.command, path, events: [], tag: buildTag(event.command), files: this.contextFiles() } : undefined;
      return;
    }
    const watched = this.watched;
    if (!watched) return;
    if (isBuildEvent(event)) {
      watched.events.push(event);
      if (event.type === 'build.step.done' || event.type === 'build.step.cached') void this.refreshSizes(watched);
      this.annotate(watched);
    }
    if (event.type === 'command.finished' && event.command === watched.command) {
      this.watched = undefined;
      void this.refreshSizes(watched).then(() => {
        const list = this.annotations.get(watched.path) ?? [];
        const failed = list.find((a) => a.kind === 'failed');
        if (failed) this.say('editor.buildFailed', { line: failed.line });
        // The tag this build made, whoever ran it (the Build button or the terminal).
        else if (event.exitCode === 0) this.say(watched.tag === null ? 'editor.builtUntagged' : 'editor.built', { tag: watched.tag ?? '' });
        else this.say(null);
      });
    }
  }

  private async refreshSizes(watched: WatchedBuild): Promise<void> {
    if (!this.engine) return;
    for (const layer of (await this.engine.state()).layers) this.sizes.set(layer.diffId, layer.size);
    this.annotate(watched);
  }

  private annotate(watched: WatchedBuild): void {
    // The files changed since the build started: its lines are no longer these lines.
    if (!sameFiles(watched.files, this.contextFiles())) return this.clearAnnotations(watched.path);
    const list = buildAnnotations(watched.events, (d) => this.sizes.get(d));
    this.annotations.set(watched.path, list);
    this.builtFrom.set(watched.path, watched.files);
    this.session?.annotate(watched.path, this.views(watched.path));
    this.renderNotes();
  }

  private views(path: string) {
    return (this.annotations.get(path) ?? []).map((a) => ({ annotation: a, text: annotationText(a, this.labels), detail: annotationDetail(a) }));
  }

  /** Annotations whose files have changed since their build go away, in the editor and in the list. */
  private dropStaleAnnotations(): void {
    const now = this.contextFiles();
    for (const [path, files] of this.builtFrom) if (!sameFiles(files, now)) this.clearAnnotations(path);
  }

  private clearAnnotations(path: string): void {
    this.annotations.delete(path);
    this.builtFrom.delete(path);
    this.session?.annotate(path, []);
    this.renderNotes();
  }

  /** The same words outside the canvas, for screen readers and for hovering in the list: the file on screen's. */
  private renderNotes(): void {
    const path = this.session?.active() ?? this.files[0]?.path ?? '';
    const views = this.views(path);
    this.notes.replaceChildren(
      ...views.map((v) => {
        const li = document.createElement('li');
        li.dataset.line = String(v.annotation.line);
        li.dataset.kind = v.annotation.kind;
        if ('cached' in v.annotation) li.dataset.cached = String(v.annotation.cached);
        if (v.annotation.kind === 'layer') li.dataset.diffId = v.annotation.diffId;
        li.title = v.detail;
        li.textContent = `${v.annotation.line}: ${v.annotation.instruction} — ${v.text}`;
        li.addEventListener('mouseenter', () => this.hoverLine(path, v.annotation.line));
        li.addEventListener('mouseleave', () => this.hoverLine(path, null));
        li.addEventListener('click', () => this.session?.reveal(path, v.annotation.line));
        return li;
      }),
    );
  }

  private hoverLine(path: string, line: number | null): void {
    const a = line === null ? undefined : this.annotations.get(path)?.find((x) => x.line === line);
    const diffId = a?.kind === 'layer' ? a.diffId : null;
    if (!this.standalone) document.dispatchEvent(new CustomEvent<LayerHoverDetail>(LAYER_HOVER_EVENT, { detail: { diffId } }));
  }

  private renderFileList(active: string): void {
    this.list.replaceChildren(
      ...this.files.map((f) => {
        const li = document.createElement('li');
        const button = document.createElement('button');
        button.type = 'button';
        button.textContent = f.path;
        button.dataset.path = f.path;
        if (f.path === active) button.setAttribute('aria-current', 'true');
        button.addEventListener('click', () => {
          this.session?.open(f.path);
          this.renderFileList(f.path);
          this.renderNotes();
        });
        li.append(button);
        return li;
      }),
    );
  }

  private changed(): void {
    this.dropStaleAnnotations();
    this.scheduleSync();
    this.dispatchEvent(new CustomEvent(EDITOR_CHANGE_EVENT, { bubbles: true }));
  }

  /** The workspace follows the editor, so a build typed in the terminal builds what it shows. */
  private scheduleSync(): void {
    if (!this.engine) return;
    delete this.dataset.synced;
    clearTimeout(this.syncTimer);
    this.syncTimer = setTimeout(() => void this.sync(), 150);
  }

  /** Writes the files; `data-synced` says the workspace holds what the editor shows (until the next edit). */
  private async sync(): Promise<void> {
    const files = this.contextFiles();
    if (!(await this.writeFiles({ quiet: true }))) return;
    if (sameFiles(files, this.contextFiles())) this.dataset.synced = '';
  }

  private say(key: string | null, params: Record<string, string | number> = {}): void {
    this.status.textContent = key === null ? '' : format(this.labels, key, params);
  }
}

function sameFiles(a: readonly ContextFile[], b: readonly ContextFile[]): boolean {
  return a.length === b.length && a.every((f) => b.some((g) => g.path === f.path && g.content === f.content));
}

/** The tag a `docker build` command line names (`-t x`, `--tag=x`), or null. */
function buildTag(commandLine: string): string | null {
  let words: string[];
  try {
    words = tokenize(commandLine.trim());
  } catch {
    return null;
  }
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '-t' || w === '--tag') return words[i + 1] ?? null;
    if (w.startsWith('--tag=')) return w.slice('--tag='.length);
    if (w.startsWith('-t') && w.length > 2 && !w.startsWith('--')) return w.slice(2);
  }
  return null;
}

if (!customElements.get('ll-editor')) customElements.define('ll-editor', EditorElement);
