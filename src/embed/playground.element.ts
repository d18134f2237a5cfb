import { afterPaint } from '../client/after-paint.js';
import { format, type Labels } from '../client/labels.js';
import type { HealingEngine, SessionNotice } from '../client/healing-engine.js';
import { CATCH_UP_EVENT, type CatchUpDetail } from '../components/catch-up-event.js';
import type { EditorElement } from '../components/editor.element.js';
import type { PictureElement } from '../components/picture.element.js';
import type { TerminalElement } from '../components/terminal.element.js';
import '../components/picture.element.js';
import '../components/terminal.element.js';
import type { SandboxActor } from '../model/sandbox.machine.js';
import { h, pictureMarkup, terminalMarkup } from './embed-markup.js';
import type { EmbedKind, EmbedOptions } from './embed-options.js';
import { EmbedWidget } from './embed-widget.js';
import { runPresetCommands } from './preset-commands.js';
import { runBar } from './run-bar.js';

/**
 * `<layerlab-playground>`: a terminal and the picture on the widget's own engine, its preset
 * `commands` typed into the terminal on load or on a click (`run="click"`), and with `editor`
 * the site's Dockerfile editor on the widget's files (its code fetched only then: embed-editor.ts).
 */
export class PlaygroundEmbed extends EmbedWidget {
  protected readonly kind: EmbedKind = 'playground';
  protected terminal: TerminalElement | undefined;
  private picture: PictureElement | undefined;
  private editor: EditorElement | undefined;
  /** The preset commands once started: a new sandbox session (the old one gone) runs them again. */
  private ran: readonly string[] = [];

  protected build(box: HTMLElement, options: EmbedOptions, labels: Labels, engine: Promise<HealingEngine>): void {
    const { view, commands } = options;
    const run = async () => {
      this.ran = commands;
      if (this.terminal) await this.terminal.runCommands([...commands]);
      else await runPresetCommands(await engine, commands);
    };
    if (commands.length > 0 && options.run === 'click') box.append(runBar(labels, commands, run));
    if (view.includes('terminal')) {
      const terminal = terminalMarkup(labels) as TerminalElement;
      terminal.engineFrom = () => engine;
      terminal.addEventListener(CATCH_UP_EVENT, (event) => {
        const { detail } = event as CustomEvent<CatchUpDetail>;
        // A new engine's workspace holds the editor's files again before the commands run.
        if (this.editor) detail.ready.push(this.editor.writeFiles({ quiet: true }));
        detail.commands.push(...this.catchUp());
      });
      this.terminal = terminal;
    }
    if (options.editor !== undefined) {
      // Where the editor goes (above the terminal), while its code comes.
      const slot = h('div', { part: 'editor' });
      box.append(slot);
      const file = options.editor;
      // bench/embed.bench.ts: asking for the editor to its taking keys (editor.element.ts's ll-editor-ready).
      performance.mark('ll-embed-editor');
      import('./embed-editor.js')
        .then(({ mountEditor }) =>
          mountEditor(slot, {
            lang: options.lang,
            file,
            files: options.files,
            engine,
            run: async (command) => (this.terminal ? this.terminal.runCommands([command]) : runPresetCommands(await engine, [command])),
          }),
        )
        .then(
          (editor) => (this.editor = editor),
          (error: unknown) => {
            slot.className = 'problems';
            slot.setAttribute('role', 'alert');
            slot.textContent = format(labels, 'embed.error.editorLoad', { message: error instanceof Error ? error.message : String(error) });
          },
        );
    }
    if (this.terminal) box.append(this.terminal);
    if (view.some((part) => part !== 'terminal')) {
      // Below the terminal, made once the frame that shows it has painted: the picture's first SVG costs ~50 ms
      // at 4× CPU throttling that no keystroke needs (issue 15's start, BENCHMARKS.md). Without a terminal the
      // picture is what the reader waits for: made at once.
      const make = () => {
        if (this.picture) return;
        this.picture = pictureMarkup(labels, view) as PictureElement;
        box.append(this.picture);
        if (this.actor) this.picture.attach(this.actor);
      };
      if (this.terminal) afterPaint(make);
      else make();
    }
    if (commands.length > 0 && options.run === 'load') void run();
  }

  /** What restores the widget's state on a new engine (its sandbox session was gone): the preset commands it ran. */
  protected catchUp(): string[] {
    return [...this.ran];
  }

  protected override onModel(actor: SandboxActor): void {
    this.picture?.attach(actor);
  }

  protected override onNotice(notice: SessionNotice): void {
    this.terminal?.onNotice(notice);
  }
}
