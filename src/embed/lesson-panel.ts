import { format, type Labels } from '../client/labels.js';
import type { HealingEngine } from '../client/healing-engine.js';
import { renderChallenge } from '../components/lesson-challenge.js';
import type { ChallengeGrade } from '../lessons/challenge-grade.js';
import type { Goal } from '../lessons/goal.js';
import { GoalChecker } from '../lessons/goal-checker.js';
import { presetFiles } from '../lessons/preset-files.js';
import type { EmbedLessonData, EmbedLessonStep } from './embed-lesson.js';
import { h } from './embed-markup.js';
import lessonCss from './lesson.css?inline';
import type { LessonStart } from './lesson-start.js';

/** What the panel asks of its widget: the terminal (or the engine) runs a solution, the widget's files, the host's event. */
export interface LessonHooks {
  run(commands: readonly string[]): Promise<void>;
  /** The widget's build-context files now (the editor's, when it has one). */
  files(): Record<string, string>;
  /** A step's files preset into the widget's files (and the editor, when it has one). */
  setFiles(files: Record<string, string>): void;
  goalMet(detail: { goal: Goal; lesson: string; step?: string; challenge?: true }): void;
}

let sheet: CSSStyleSheet | undefined;
/** The panel's rules, adopted beside the widget's sheet: only a lesson widget fetches them. */
export function lessonSheet(): CSSStyleSheet {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(lessonCss);
  }
  return sheet;
}

/** A hint's text with its `code` spans as <code> elements: text nodes, never HTML. */
function inlineCode(text: string): (Node | string)[] {
  return text.split('`').map((part, i) => (i % 2 === 1 ? h('code', {}, part) : part));
}

/** A step's hint, or its graded hints each inside the one before (StepHints.astro's shape): asked for one at a time. */
function hints(hint: string | string[], t: (key: string, params?: Record<string, string | number>) => string): HTMLElement {
  const graded = Array.isArray(hint) ? hint : [hint];
  const label = (i: number) => (graded.length > 1 ? t('lesson.challenge.hint', { n: i + 1, total: graded.length }) : t('lesson.hint'));
  let inner: HTMLElement | undefined;
  for (let i = graded.length - 1; i >= 0; i--) {
    const box = h('details', { 'data-hint': String(i + 1) }, h('summary', {}, label(i)), h('p', {}, ...inlineCode(graded[i]!)));
    if (inner) box.append(inner);
    inner = box;
  }
  return inner!;
}

/**
 * `<layerlab-lesson>`'s steps: what `<ll-lesson>` does on a lesson page, on the widget's own
 * engine — after every command the current step's goal is checked (src/lessons' checks), a met
 * one is marked done, announced and told to the host page (`layerlab:goal`), and the next becomes
 * current; after the last, the lesson's challenge is graded. Progress lives in the widget only:
 * an embed stores nothing in the reader's browser.
 */
export class LessonPanel {
  readonly element: HTMLElement;
  private readonly done = new Set<string>();
  private readonly checker: GoalChecker;
  private grade: ChallengeGrade | undefined;
  private challengeDone = false;
  private hintsOpen = 0;
  private presetStep: string | undefined;
  private engine: HealingEngine | undefined;
  private readonly parts = new Map<string, { item: HTMLElement | undefined; panel: HTMLElement }>();
  private readonly progress: HTMLElement;
  private readonly complete: HTMLElement;
  private readonly announcer: HTMLElement;

  constructor(
    private readonly data: EmbedLessonData,
    private readonly start: LessonStart,
    private readonly labels: Labels,
    site: string,
    private readonly hooks: LessonHooks,
  ) {
    const t = (key: string, params: Record<string, string | number> = {}) => format(labels, key, params);
    const alone = start.steps.length === 1 && data.steps.length > 1 && start.challenge === undefined;
    const link = h('a', { href: new URL(data.path, site).href, target: '_blank', rel: 'noopener' }, t('embed.lesson.open'));
    const head = h('header', { class: 'lesson__head' }, h('h2', {}, data.title), link);
    this.progress = h('p', { class: 'lesson__progress', 'data-progress': true });
    this.element = h('section', { class: 'lesson', part: 'lesson' }, head);
    if (alone) this.element.append(h('p', { class: 'lesson__where' }, t('embed.lesson.stepOnly', { n: start.first + 1, total: data.steps.length })));
    else {
      this.element.append(h('p', { class: 'lesson__summary' }, data.summary));
      const list = h('ol', { class: 'lesson__steps', 'aria-label': t('lesson.steps') });
      for (const step of start.steps)
        list.append(h('li', { 'data-step-item': step.id }, step.title, h('span', { class: 'done-mark' }, ` ✓ ${t('lesson.done')}`)));
      this.element.append(list);
    }
    this.element.append(this.progress);
    for (const step of start.steps) {
      const panel = h(
        'div',
        { class: 'lesson__step', 'data-step-panel': step.id, hidden: true },
        h('h3', {}, step.title),
        hints(step.hint, t),
        this.solution(step.solution, t('lesson.solution')),
      );
      this.element.append(panel);
      this.parts.set(step.id, { item: this.element.querySelector<HTMLElement>(`[data-step-item="${step.id}"]`) ?? undefined, panel });
    }
    this.complete = h('p', { class: 'lesson__complete', 'data-complete': true, hidden: true });
    this.element.append(this.complete);
    const challenge = start.challenge;
    if (challenge) {
      const next = h('button', { type: 'button', class: 'quiet', 'data-hint-next': true });
      next.addEventListener('click', () => {
        this.hintsOpen += 1;
        this.render();
      });
      const box = h(
        'section',
        { class: 'lesson__challenge', 'data-challenge': true, hidden: true },
        h('h3', {}, t('lesson.challenge.title')),
        h('p', {}, t('lesson.challenge.intro')),
        h('p', { class: 'task' }, ...inlineCode(challenge.task)),
        h('ol', { class: 'hints', 'data-hints': true }, ...challenge.hints.map((hint) => h('li', { hidden: true }, ...inlineCode(hint)))),
        next,
        this.solution(challenge.solution, t('lesson.challenge.solution')),
        h('p', { class: 'lesson__status', 'data-challenge-status': true }),
      );
      this.element.append(box);
    }
    this.announcer = h('p', { class: 'lesson__status', role: 'status', 'data-announce': true });
    this.element.append(this.announcer);
    this.checker = this.goalChecker();
    this.render();
  }

  /** A solution, shown on request, and the button that types it into the terminal. */
  private solution(commands: readonly string[], summary: string): HTMLElement {
    const run = h('button', { type: 'button', 'data-run': true }, format(this.labels, 'terminal.run'));
    run.addEventListener('click', () => void this.hooks.run(commands));
    return h('details', {}, h('summary', {}, summary), h('div', { class: 'solution' }, h('pre', { lang: 'en' }, commands.join('\n')), run));
  }

  /** The engine is open: the earlier steps' commands run first (a step shown alone), then every command is checked. */
  async attach(engine: HealingEngine): Promise<void> {
    if (this.start.before.length > 0) {
      this.announcer.textContent = format(this.labels, 'embed.lesson.preparing');
      for (const command of this.start.before) await engine.exec(command).catch(() => undefined);
      this.announcer.textContent = '';
    }
    this.engine = engine;
    engine.subscribe((event) => {
      if (event.type === 'command.finished') void this.checker.commandFinished(event.command, event.exitCode).then(() => this.render());
    });
    this.render();
    await this.check();
  }

  /** What restores the lesson's state on a new engine: what ran before the first step, and the solutions of the steps done. */
  catchUp(): string[] {
    return [...this.start.before, ...this.start.steps.filter((s) => this.done.has(s.id)).flatMap((s) => s.solution)];
  }

  /** The widget's goal checks, as `<ll-lesson>`'s: a met step is marked done, announced and told to the host page. */
  private goalChecker(): GoalChecker {
    return new GoalChecker({
      steps: this.start.steps,
      completed: () => this.done,
      read: async () => ({ state: await this.engine!.state(), files: this.hooks.files() }),
      challenge: () => (this.challengeDone ? undefined : this.start.challenge),
      stepDone: (id) => {
        const step = this.start.steps.find((s) => s.id === id)!;
        this.done.add(id);
        this.announcer.textContent = format(this.labels, 'lesson.stepDone', { title: step.title });
        this.hooks.goalMet({ goal: step.goal, lesson: this.data.id, step: id });
      },
      graded: (grade) => {
        this.grade = grade;
        if (grade.kind !== 'met') return;
        this.challengeDone = true;
        this.announcer.textContent = format(this.labels, 'lesson.challenge.done');
        this.hooks.goalMet({ goal: this.start.challenge!.goal, lesson: this.data.id, challenge: true });
      },
    });
  }

  /** Checks goals in order, as `<ll-lesson>` does: one command may finish the current step and the next. */
  async check(): Promise<void> {
    if (!this.engine) return;
    await this.checker.check();
    this.render();
  }

  private current(): EmbedLessonStep | undefined {
    return this.start.steps.find((s) => !this.done.has(s.id));
  }

  private render(): void {
    const current = this.current();
    if (current && current.id !== this.presetStep) {
      this.presetStep = current.id;
      if (current.files)
        this.hooks.setFiles(Object.fromEntries(presetFiles(toList(this.hooks.files()), current.files).map((f) => [f.path, f.content])));
    }
    for (const step of this.start.steps) {
      const { item, panel } = this.parts.get(step.id)!;
      panel.hidden = step !== current;
      item?.toggleAttribute('data-done', this.done.has(step.id));
      if (step === current) item?.setAttribute('aria-current', 'step');
      else item?.removeAttribute('aria-current');
    }
    const index = current ? this.data.steps.indexOf(current) : -1;
    this.progress.textContent =
      current && this.start.steps.length > 1 ? format(this.labels, 'lesson.step', { n: index + 1, total: this.data.steps.length }) : '';
    this.complete.hidden = current !== undefined;
    const last = this.start.steps.at(-1)!;
    this.complete.textContent =
      this.start.steps.length === 1 && this.data.steps.length > 1
        ? format(this.labels, 'lesson.stepDone', { title: last.title })
        : format(this.labels, 'lesson.complete');
    const challenge = this.start.challenge;
    if (!challenge) return;
    // The lesson page's own rendering of the box (its parts carry the same data-* names).
    const progress = { completedSteps: [...this.done], hints: this.hintsOpen, challengeDone: this.challengeDone, updatedAt: '' };
    renderChallenge(this.element, { ...challenge, hints: challenge.hints.length }, progress, current === undefined, this.grade, this.labels);
  }
}

function toList(files: Record<string, string>): { path: string; content: string }[] {
  return Object.entries(files).map(([path, content]) => ({ path, content }));
}
