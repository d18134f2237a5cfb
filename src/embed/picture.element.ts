import type { Labels } from '../client/labels.js';
import type { HealingEngine } from '../client/healing-engine.js';
import type { PictureElement } from '../components/picture.element.js';
import '../components/picture.element.js';
import type { SandboxActor } from '../model/sandbox.machine.js';
import { pictureMarkup } from './embed-markup.js';
import type { EmbedOptions } from './embed-options.js';
import { EmbedWidget } from './embed-widget.js';
import { runPresetCommands } from './preset-commands.js';
import { runBar } from './run-bar.js';

/**
 * `<layerlab-picture>`: the picture only, drawn from what its preset `commands` make — a
 * figure in an article that is live instead of a screenshot.
 */
export class PictureEmbed extends EmbedWidget {
  protected readonly kind = 'picture' as const;
  private picture: PictureElement | undefined;

  protected build(box: HTMLElement, options: EmbedOptions, labels: Labels, engine: Promise<HealingEngine>): void {
    const run = async () => runPresetCommands(await engine, options.commands);
    if (options.run === 'click') box.append(runBar(labels, options.commands, run));
    this.picture = pictureMarkup(labels, options.view) as PictureElement;
    box.append(this.picture);
    if (options.run === 'load') void run();
  }

  protected override onModel(actor: SandboxActor): void {
    this.picture?.attach(actor);
  }
}
