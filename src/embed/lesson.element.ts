import type { HealingEngine } from '../client/healing-engine.js';
import type { Labels } from '../client/labels.js';
import type { EmbedLessonData } from './embed-lesson.js';
import { EMBED_EVENTS, emit, type EmbedGoalDetail } from './embed-events.js';
import type { EmbedKind, EmbedOptions, EmbedProblem } from './embed-options.js';
import { SITE } from './embed-widget.js';
import type { LessonPanel } from './lesson-panel.js';
import type { LessonStart } from './lesson-start.js';
import { runPresetCommands } from './preset-commands.js';
import { PlaygroundEmbed } from './playground.element.js';

const encoder = new TextEncoder();

/**
 * `<layerlab-lesson lesson="05-images" step="3">`: one lesson, or one step of it, on the
 * widget's own engine — its steps with their hints, solutions and goal checks as on the lesson
 * page, above the playground's terminal and picture. The lesson's data (one JSON file a lesson,
 * `/{lang}/embed/lessons/{id}.json`) and the panel's code are fetched only by a lesson widget,
 * while its catalog is.
 */
export class LessonEmbed extends PlaygroundEmbed {
  protected override readonly kind: EmbedKind = 'lesson';
  /** The lesson, where it starts, and the panel's class: fetched by `prepare`, made into the panel by `build`. */
  private lesson: { data: EmbedLessonData; start: LessonStart; LessonPanel: typeof LessonPanel } | undefined;
  private panel: LessonPanel | undefined;
  private engineOpen: Promise<HealingEngine> | undefined;
  /** The build context as the lesson has it now (its files/, then each step's preset files). */
  private files: Record<string, string> = {};

  protected override async prepare(options: EmbedOptions): Promise<EmbedOptions | EmbedProblem[]> {
    const { id, step } = options.lesson!;
    const code = Promise.all([import('./lesson-panel.js'), import('./lesson-start.js')]);
    const response = await fetch(new URL(`${options.lang}/embed/lessons/${id}.json`, SITE), { credentials: 'omit' });
    if (response.status === 404) return [{ kind: 'noLesson', params: { value: id, message: `${response.status} ${response.statusText}`.trim() } }];
    if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
    const data = (await response.json()) as EmbedLessonData;
    const [{ LessonPanel, lessonSheet }, { lessonStart }] = await code;
    const start = lessonStart(data, step);
    if (!('steps' in start)) return [start];
    this.files = { ...start.files, ...options.files };
    this.lesson = { data, start, LessonPanel };
    const root = this.shadowRoot!;
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, lessonSheet()];
    return { ...options, files: this.files };
  }

  protected override build(box: HTMLElement, options: EmbedOptions, labels: Labels, engine: Promise<HealingEngine>): void {
    this.engineOpen = engine;
    const { data, start, LessonPanel } = this.lesson!;
    const panel = new LessonPanel(data, start, { ...labels, ...data.labels }, SITE, {
      run: (commands) => this.runLines(commands),
      files: () => this.files,
      setFiles: (files) => void this.setFiles(files),
      goalMet: (detail) => emit<EmbedGoalDetail>(this, EMBED_EVENTS.goal, detail),
    });
    this.panel = panel;
    box.append(panel.element);
    super.build(box, options, labels, engine);
    engine.then((e) => panel.attach(e)).catch(() => undefined);
  }

  /** A solution's commands, typed into the terminal as the lesson page's Run button does (run without one when the view has none). */
  private async runLines(commands: readonly string[]): Promise<void> {
    if (this.terminal) await this.terminal.runCommands([...commands]);
    else if (this.engineOpen) await runPresetCommands(await this.engineOpen, commands);
  }

  /** A step's files become the build context: `docker build .` reads them. */
  private async setFiles(files: Record<string, string>): Promise<void> {
    this.files = files;
    const engine = await this.engineOpen;
    await Promise.all(Object.entries(files).map(([path, text]) => engine?.workspace?.write(path, encoder.encode(text))));
    void this.panel?.check();
  }

  protected override catchUp(): string[] {
    return [...(this.panel?.catchUp() ?? []), ...super.catchUp()];
  }
}
