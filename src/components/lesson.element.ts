import type { Engine } from '../engine/engine.js';
import { EDITOR_CHANGE_EVENT } from '../editor/editor-change-event.js';
import type { EditorFiles } from '../lessons/goal-check.js';
import type { Goal } from '../lessons/goal.js';
import type { ChallengeGrade } from '../lessons/challenge-grade.js';
import { GoalChecker } from '../lessons/goal-checker.js';
import type { Prediction } from '../lessons/lesson.schema.js';
import { presetFiles } from '../lessons/preset-files.js';
import { createProgressStore, type ProgressStore } from '../lessons/progress.store.js';
import { format, readLabels, type Labels } from '../client/labels.js';
import { pageEngine } from '../client/page-engine.js';
import type { EditorElement } from './editor.element.js';
import { RUN_EVENT, type RunEventDetail } from './run-event.js';
import { CATCH_UP_EVENT, type CatchUpDetail } from './catch-up-event.js';
import { STEP_EVENT, type StepEventDetail } from './step-event.js';
import { guessFromForm, renderPredictions } from './lesson-predictions.js';
import { renderChallenge, type ChallengeData } from './lesson-challenge.js';

interface StepData {
  id: string;
  title: string;
  goal: Goal;
  solution: string[];
  /** Loaded into the page's editor when the step becomes current. */
  files?: Record<string, string>;
  /** A guess asked before the step's command. */
  predict?: Prediction;
  /** What the editor's Build button names the image while the step is current. */
  buildTag?: string;
}

/** A learner types in bursts: check the editor's files once a burst is over. */
const EDITOR_SETTLE_MS = 300;

/**
 * `<ll-lesson>`: walks the lesson's steps. After every engine change it checks the
 * current step's goal against the state snapshot; a met goal is saved as progress
 * (by the locale-independent lesson id) and the next step becomes current. Once the
 * steps are done, the lesson's challenge is graded the same way.
 */
export class LessonElement extends HTMLElement {
  private labels: Labels = {};
  private steps: StepData[] = [];
  private challenge: ChallengeData | undefined;
  private grade: ChallengeGrade | undefined;
  private lessonId = '';
  private store!: ProgressStore;
  private engine: Engine | undefined;
  /** The checks, with the commands run for `ran` goals — kept in the page only: after a reload the learner looks again. */
  private checker!: GoalChecker;
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
    const challenge = this.querySelector('script[data-challenge-data]');
    this.challenge = challenge ? (JSON.parse(challenge.textContent!) as ChallengeData) : undefined;
    this.store = createProgressStore(localStorage);
    this.checker = this.goalChecker();
    this.store.subscribe(() => this.render());
    this.querySelector('[data-reset]')?.addEventListener('click', () => this.store.resetLesson(this.lessonId));
    this.querySelector('[data-catch-up]')?.addEventListener('click', () => {
      document.dispatchEvent(new CustomEvent<RunEventDetail>(RUN_EVENT, { detail: { commands: this.catchUpCommands() } }));
    });
    this.addEventListener('submit', this.onPredict);
    this.querySelector('[data-hint-next]')?.addEventListener('click', () => {
      this.store.revealHints(this.lessonId, (this.store.lesson(this.lessonId).hints ?? 0) + 1);
    });
    document.addEventListener(EDITOR_CHANGE_EVENT, this.onEditorChange);
    document.addEventListener(CATCH_UP_EVENT, this.onCatchUp);
    this.render();
    void pageEngine().then(
      (engine) => {
        this.engine = engine;
        engine.subscribe((event) => {
          if (event.type === 'command.finished') void this.check(event);
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

  /** A prediction form's guess is kept with the progress; the step's command is run as usual after it. */
  private readonly onPredict = (event: SubmitEvent) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || form.dataset.predict === undefined) return;
    event.preventDefault();
    const step = this.steps.find((s) => s.id === form.dataset.predict);
    const guess = step?.predict && guessFromForm(form, step.predict);
    if (step && guess) this.store.predict(this.lessonId, step.id, guess);
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

  /** The step's tag for the editor's Build button (it reads `data-tag` on each press). */
  private async buildTag(tag: string): Promise<void> {
    const editor = await this.editor();
    if (editor) editor.dataset.tag = tag;
  }

  /** Loads a step's files into the editor and the build context, so `docker build .` in the terminal reads them too. */
  private async preset(files: Record<string, string>): Promise<void> {
    const editor = await this.editor();
    if (!editor) return;
    editor.setFiles(presetFiles(editor.contextFiles(), files));
    await editor.writeFiles();
    void this.check();
  }

  /** The lesson's goal checks: a met step is saved as progress, the challenge graded once the steps are done. */
  private goalChecker(): GoalChecker {
    return new GoalChecker({
      steps: this.steps,
      completed: () => new Set(this.store.lesson(this.lessonId).completedSteps),
      read: async () => {
        const [state, files] = await Promise.all([this.engine!.state(), this.editorFiles()]);
        return { state, files };
      },
      challenge: () => (this.store.lesson(this.lessonId).challengeDone ? undefined : this.challenge),
      stepDone: (id) => {
        this.store.completeStep(this.lessonId, id);
        this.announce(format(this.labels, 'lesson.stepDone', { title: this.steps.find((s) => s.id === id)!.title }));
      },
      graded: (grade) => {
        this.grade = grade;
        if (grade.kind === 'met') {
          this.store.completeChallenge(this.lessonId);
          this.announce(format(this.labels, 'lesson.challenge.done'));
        } else this.render();
      },
    });
  }

  /** Checks goals in order (after a command, when it finished one): one command may finish the current step and the next. */
  private async check(finished?: { command: string; exitCode: number | null }): Promise<void> {
    if (!this.engine) return;
    const checked = finished ? await this.checker.commandFinished(finished.command, finished.exitCode) : await this.checker.check();
    if (checked && !this.current() && !this.challenge) this.announce(format(this.labels, 'lesson.complete'));
  }

  private current(): StepData | undefined {
    const done = new Set(this.store.lesson(this.lessonId).completedSteps);
    return this.steps.find((s) => !done.has(s.id));
  }

  private render(): void {
    const done = new Set(this.store.lesson(this.lessonId).completedSteps);
    const current = this.current();
    const index = current ? this.steps.indexOf(current) : this.steps.length;
    if (this.dataset.stepIndex !== String(index)) {
      this.dataset.stepIndex = String(index);
      const detail: StepEventDetail = { lessonId: this.lessonId, index, total: this.steps.length };
      document.dispatchEvent(new CustomEvent<StepEventDetail>(STEP_EVENT, { detail }));
    }
    if (current && current.id !== this.presetStep) {
      this.presetStep = current.id;
      if (current.files) void this.preset(current.files);
      if (current.buildTag) void this.buildTag(current.buildTag);
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
    const saved = this.store.lesson(this.lessonId);
    renderPredictions(this, this.steps, saved, index, this.labels);
    if (this.challenge) renderChallenge(this, this.challenge, saved, current === undefined, this.grade, this.labels);
    const catchUp = this.querySelector<HTMLElement>('[data-catch-up-box]');
    if (catchUp) catchUp.hidden = done.size === 0;
  }

  private announce(text: string): void {
    const region = this.querySelector('[data-announce]');
    if (region) region.textContent = text;
  }
}

if (!customElements.get('ll-lesson')) customElements.define('ll-lesson', LessonElement);
