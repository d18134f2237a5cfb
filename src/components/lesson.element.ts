import type { Engine } from '../engine/engine.js';
import { EDITOR_CHANGE_EVENT } from '../editor/editor-change-event.js';
import type { EditorFiles } from '../lessons/goal-check.js';
import type { Goal } from '../lessons/goal.js';
import { presetFiles } from '../lessons/preset-files.js';
import { newlyCompleted } from '../lessons/step-progress.js';
import { createProgressStore, type ProgressStore } from '../lessons/progress.store.js';
import { format, readLabels, type Labels } from '../client/labels.js';
import { pageEngine } from '../client/page-engine.js';
import type { EditorElement } from './editor.element.js';
import { RUN_EVENT, type RunEventDetail } from './run-event.js';
import { CATCH_UP_EVENT, type CatchUpDetail } from './catch-up-event.js';

interface StepData {
  id: string;
  title: string;
  goal: Goal;
  solution: string[];
  /** Loaded into the page's editor when the step becomes current. */
  files?: Record<string, string>;
}

/** A learner types in bursts: check the editor's files once a burst is over. */
const EDITOR_SETTLE_MS = 300;

/**
 * `<ll-lesson>`: walks the lesson's steps. After every engine change it checks the
 * current step's goal against the state snapshot; a met goal is saved as progress
 * (by the locale-independent lesson id) and the next step becomes current.
 */
export class LessonElement extends HTMLElement {
  private labels: Labels = {};
  private steps: StepData[] = [];
  private lessonId = '';
  private store!: ProgressStore;
  private engine: Engine | undefined;
  private checking = false;
  private recheck = false;
  /** The step whose files were last loaded into the editor: each step presets once. */
  private presetStep: string | undefined;
  private editorTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly onEditorChange = () => {
    clearTimeout(this.editorTimer);
    this.editorTimer = setTimeout(() => void this.check(), EDITOR_SETTLE_MS);
  };

  connectedCallback(): void {
    this.labels = readLabels(this);
    this.lessonId = this.dataset.lessonId!;
    this.steps = JSON.parse(this.querySelector('script[data-steps]')!.textContent!) as StepData[];
    this.store = createProgressStore(localStorage);
    this.store.subscribe(() => this.render());
    this.querySelector('[data-reset]')?.addEventListener('click', () => this.store.resetLesson(this.lessonId));
    this.querySelector('[data-catch-up]')?.addEventListener('click', () => {
      document.dispatchEvent(new CustomEvent<RunEventDetail>(RUN_EVENT, { detail: { commands: this.catchUpCommands() } }));
    });
    document.addEventListener(EDITOR_CHANGE_EVENT, this.onEditorChange);
    document.addEventListener(CATCH_UP_EVENT, this.onCatchUp);
    this.render();
    void pageEngine().then(
      (engine) => {
        this.engine = engine;
        engine.subscribe((event) => {
          if (event.type === 'command.finished') void this.check();
        });
        void this.check();
      },
      () => undefined,
    );
  }

  /** The commands of the steps done so far: run again, they rebuild what the lesson has made. */
  private catchUpCommands(): string[] {
    const done = new Set(this.store.lesson(this.lessonId).completedSteps);
    return this.steps.filter((s) => done.has(s.id)).flatMap((s) => s.solution);
  }

  /**
   * The page's engine was replaced (its session was gone): the lesson's earlier steps restore its state.
   * Not after a reset the learner asked for: it starts clean, as a reload does (`lesson.catchUpHelp`),
   * and the catch-up button is there to run the earlier steps again.
   */
  private readonly onCatchUp = (event: Event) => {
    const detail = (event as CustomEvent<CatchUpDetail>).detail;
    if (!detail.fresh) detail.commands.push(...this.catchUpCommands());
  };

  disconnectedCallback(): void {
    document.removeEventListener(EDITOR_CHANGE_EVENT, this.onEditorChange);
    document.removeEventListener(CATCH_UP_EVENT, this.onCatchUp);
    clearTimeout(this.editorTimer);
  }

  /** The page's editor once its element is defined; none on lesson pages without one. */
  private async editor(): Promise<EditorElement | undefined> {
    if (!document.querySelector('ll-editor')) return undefined;
    await customElements.whenDefined('ll-editor');
    return document.querySelector<EditorElement>('ll-editor') ?? undefined;
  }

  private async editorFiles(): Promise<EditorFiles> {
    const editor = await this.editor();
    return Object.fromEntries((editor?.contextFiles() ?? []).map((f) => [f.path, f.content]));
  }

  /** Loads a step's files into the editor and the build context, so `docker build .` in the terminal reads them too. */
  private async preset(files: Record<string, string>): Promise<void> {
    const editor = await this.editor();
    if (!editor) return;
    editor.setFiles(presetFiles(editor.contextFiles(), files));
    await editor.writeFiles();
    void this.check();
  }

  /** Checks goals in order: one command may finish the current step and the next. */
  private async check(): Promise<void> {
    if (!this.engine) return;
    if (this.checking) {
      this.recheck = true;
      return;
    }
    this.checking = true;
    try {
      do {
        this.recheck = false;
        const [state, files] = await Promise.all([this.engine.state(), this.editorFiles()]);
        const completed = new Set(this.store.lesson(this.lessonId).completedSteps);
        for (const id of newlyCompleted(this.steps, completed, state, files)) {
          this.store.completeStep(this.lessonId, id);
          this.announce(format(this.labels, 'lesson.stepDone', { title: this.steps.find((s) => s.id === id)!.title }));
        }
      } while (this.recheck);
    } finally {
      this.checking = false;
    }
    if (!this.current()) this.announce(format(this.labels, 'lesson.complete'));
  }

  private current(): StepData | undefined {
    const done = new Set(this.store.lesson(this.lessonId).completedSteps);
    return this.steps.find((s) => !done.has(s.id));
  }

  private render(): void {
    const done = new Set(this.store.lesson(this.lessonId).completedSteps);
    const current = this.current();
    const index = current ? this.steps.indexOf(current) : this.steps.length;
    if (current && current.id !== this.presetStep) {
      this.presetStep = current.id;
      if (current.files) void this.preset(current.files);
    }
    for (const step of this.steps) {
      const isCurrent = step === current;
      for (const el of document.querySelectorAll<HTMLElement>(`[data-step-id="${step.id}"], [data-step-item="${step.id}"]`)) {
        el.toggleAttribute('data-done', done.has(step.id));
        if (isCurrent) el.setAttribute('aria-current', 'step');
        else el.removeAttribute('aria-current');
      }
      const panel = this.querySelector<HTMLElement>(`[data-step-panel="${step.id}"]`);
      if (panel) panel.hidden = !isCurrent;
    }
    const progress = this.querySelector('[data-progress]');
    if (progress) progress.textContent = current ? format(this.labels, 'lesson.step', { n: index + 1, total: this.steps.length }) : '';
    const complete = this.querySelector<HTMLElement>('[data-complete]');
    if (complete) complete.hidden = current !== undefined;
    const catchUp = this.querySelector<HTMLElement>('[data-catch-up-box]');
    if (catchUp) catchUp.hidden = done.size === 0;
  }

  private announce(text: string): void {
    const region = this.querySelector('[data-announce]');
    if (region) region.textContent = text;
  }
}

if (!customElements.get('ll-lesson')) customElements.define('ll-lesson', LessonElement);
