import { createActor } from 'xstate';
import { afterPaint } from '../client/after-paint.js';
import { format, type Labels } from '../client/labels.js';
import type { HealingEngine, SessionNotice } from '../client/healing-engine.js';
import { prefetchSimulator } from '../client/sim-modules.js';
import { checkGoal } from '../lessons/goal-check.js';
import { engineSource } from '../model/engine.source.js';
import { sandboxMachine, type SandboxActor } from '../model/sandbox.machine.js';
import { openEmbedEngine } from './embed-engine.js';
import { EMBED_EVENTS, emit, type EmbedCommandDetail, type EmbedGoalDetail, type EmbedStateDetail } from './embed-events.js';
import { parseEmbedOptions, type EmbedKind, type EmbedLang, type EmbedOptions, type EmbedProblem } from './embed-options.js';
import { catalogs } from './embed-catalogs.js';
import { embedSheet } from './embed-styles.js';
import { dedent } from './dedent.js';

/**
 * The site the bundle was served from (`…/embed/v1/x.js` → `…/`): the simulator's base layer
 * is fetched there. (A variable, not a literal: Vite would take `new URL('…', import.meta.url)` for an asset.)
 */
const UP = '../../';
export const SITE = new URL(UP, import.meta.url).href;

/**
 * What `<layerlab-playground>` and `<layerlab-picture>` share: attributes read once when the
 * element is first connected (a wrong one is said in the widget, in ko and en when `lang`
 * itself is wrong), a shadow root with the one adopted stylesheet, the widget's own engine and
 * sandbox machine, and the `layerlab:*` events on the element.
 */
export abstract class EmbedWidget extends HTMLElement {
  protected abstract readonly kind: EmbedKind;
  /** Builds the widget's parts in `box` once the engine is open (or opening). */
  protected abstract build(box: HTMLElement, options: EmbedOptions, labels: Labels, engine: Promise<HealingEngine>): void;
  /**
   * What the widget must fetch before its engine opens (`<layerlab-lesson>`: the lesson, whose
   * starting files are the engine's): the options to open it with, or what is wrong. Started
   * alongside the catalog, so it costs no round trip of its own.
   */
  protected prepare(options: EmbedOptions): Promise<EmbedOptions | EmbedProblem[]> {
    return Promise.resolve(options);
  }
  /** Where the engine's session notices go (the playground's terminal); none: dropped. */
  protected onNotice(_notice: SessionNotice): void {}

  protected labels: Labels = {};
  protected actor: SandboxActor | undefined;
  private engine: Promise<HealingEngine> | undefined;
  private started = false;
  private stopped = false;

  connectedCallback(): void {
    if (this.started) return;
    this.started = true;
    void this.start();
  }

  disconnectedCallback(): void {
    // Moved within the page (disconnected then connected in one task): keep running.
    queueMicrotask(() => {
      if (this.isConnected || this.stopped) return;
      this.stopped = true;
      this.actor?.stop();
      void this.engine?.then((e) => e.dispose()).catch(() => undefined);
    });
  }

  private async start(): Promise<void> {
    const root = this.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [embedSheet()];
    const parsed = parseEmbedOptions(this.kind, {
      attr: (name) => this.getAttribute(name),
      childFiles: [...this.querySelectorAll<HTMLScriptElement>(':scope > script[type="text/plain"][data-file]')].map((s) => ({
        name: s.dataset.file ?? '',
        text: dedent(s.textContent ?? ''),
      })),
      pageLang: document.documentElement.lang,
      // zod, fetched and built only for a widget that has a goal to check.
      goalSchema: this.hasAttribute('goal') ? (await import('../lessons/goal.js')).goalSchema : undefined,
    });
    const box = document.createElement('div');
    box.className = 'll';
    root.append(box);
    if (!parsed.ok) {
      const langs: EmbedLang[] = parsed.lang ? [parsed.lang] : ['ko', 'en'];
      for (const lang of langs) showProblems(box, lang, await catalogs[lang](), parsed.problems);
      this.setAttribute('data-error', parsed.problems.map((p) => p.kind).join(' '));
      return;
    }
    const options = parsed.options;
    box.lang = options.lang;
    if (options.theme !== 'auto') box.dataset.theme = options.theme;
    // CSSOM, not a style attribute: allowed under a CSP without 'unsafe-inline'.
    if (options.height) this.style.height = options.height;
    // The simulator's code asked for while the catalog is: the engine is opened once the labels are here, and its
    // code would otherwise wait for them. (In the embed's one start file both are there already; the site's iframe
    // route fetches them, side by side.)
    if (options.server === undefined) prefetchSimulator();
    const prepared = this.prepare(options).catch((error: unknown) => [
      { kind: 'noLesson', params: { value: options.lesson?.id ?? '', message: error instanceof Error ? error.message : String(error) } } as const,
    ]);
    this.labels = await catalogs[options.lang]();
    const ready = await prepared;
    if (Array.isArray(ready)) {
      showProblems(box, options.lang, this.labels, ready);
      this.setAttribute('data-error', ready.map((p) => p.kind).join(' '));
      return;
    }
    box.setAttribute('role', 'group');
    box.setAttribute('aria-label', format(this.labels, `embed.${this.kind}Label`));
    const engine = openEmbedEngine(ready, SITE, (n) => this.onNotice(n));
    this.engine = engine;
    engine.then(
      (e) => this.follow(e, ready),
      (error: unknown) => {
        showProblems(
          box,
          options.lang,
          this.labels,
          [],
          format(this.labels, 'embed.error.engine', { message: error instanceof Error ? error.message : String(error) }),
        );
        this.setAttribute('data-error', 'engine');
      },
    );
    this.build(box, ready, this.labels, engine);
  }

  /**
   * The events the host page hears and the widget's model of its engine (the picture draws it). The model is made
   * and started after the frame that shows the terminal taking keys has painted (after-paint.ts): ~50 ms at 4× CPU
   * throttling that no keystroke needs (issue 15's start, BENCHMARKS.md). A command run before then is in the state
   * it starts with; its `layerlab:command` is heard at once.
   */
  private follow(engine: HealingEngine, options: EmbedOptions): void {
    if (this.stopped) return;
    engine.subscribe((event) => {
      if (event.type === 'command.finished')
        emit<EmbedCommandDetail>(this, EMBED_EVENTS.command, { command: event.command, exitCode: event.exitCode });
    });
    afterPaint(() => this.model(engine, options));
  }

  private model(engine: HealingEngine, options: EmbedOptions): void {
    if (this.stopped) return;
    const actor = createActor(sandboxMachine().provide({ actors: { source: engineSource(engine) } }));
    let revision = -1;
    let goalMet = false;
    actor.subscribe((snapshot) => {
      const { state } = snapshot.context;
      if (!state || snapshot.context.revision === revision) return;
      revision = snapshot.context.revision;
      emit<EmbedStateDetail>(this, EMBED_EVENTS.state, { state });
      if (options.goal && !goalMet && checkGoal(options.goal, state, options.files)) {
        goalMet = true;
        this.setAttribute('data-goal', 'met');
        emit<EmbedGoalDetail>(this, EMBED_EVENTS.goal, { goal: options.goal });
      }
    });
    this.actor = actor;
    this.onModel(actor);
    actor.start();
  }

  /** The sandbox machine exists (the picture attaches to it); before it starts. */
  protected onModel(_actor: SandboxActor): void {}
}

function showProblems(box: HTMLElement, lang: EmbedLang, labels: Labels, problems: EmbedProblem[], extra?: string): void {
  const list = document.createElement('ul');
  for (const p of problems) {
    const li = document.createElement('li');
    li.textContent = format(labels, `embed.error.${p.kind}`, p.params);
    list.append(li);
  }
  if (extra) {
    const li = document.createElement('li');
    li.textContent = extra;
    list.append(li);
  }
  const title = document.createElement('h2');
  title.textContent = format(labels, 'embed.error.title');
  const fix = document.createElement('p');
  fix.textContent = format(labels, 'embed.error.fix');
  const section = document.createElement('section');
  section.className = 'problems';
  section.lang = lang;
  section.setAttribute('role', 'alert');
  section.append(title, list, fix);
  box.prepend(section);
}
