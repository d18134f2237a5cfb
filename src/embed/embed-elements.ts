import { LessonEmbed } from './lesson.element.js';
import { PictureEmbed } from './picture.element.js';
import { PlaygroundEmbed } from './playground.element.js';

/**
 * The embed's custom elements, defined: the entry (layerlab.ts) imports this module; the iframe route
 * (frame.ts) too. Nothing else goes on `window`. A second copy of the bundle on a page (another version's
 * URL) leaves the first one's definitions.
 */
for (const [name, element] of [
  ['layerlab-playground', PlaygroundEmbed],
  ['layerlab-picture', PictureEmbed],
  ['layerlab-lesson', LessonEmbed],
] as const) {
  if (!customElements.get(name)) customElements.define(name, element);
}
