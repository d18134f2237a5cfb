import { LessonEmbed } from './lesson.element.js';
import { PictureEmbed } from './picture.element.js';
import { PlaygroundEmbed } from './playground.element.js';

/**
 * The embed bundle's entry, served as `/embed/v1/layerlab.js` (an ES module; its chunks
 * beside it): it defines the custom elements and puts nothing else on `window`. A second
 * copy of the bundle on a page (another version's URL) leaves the first one's definitions.
 */
for (const [name, element] of [
  ['layerlab-playground', PlaygroundEmbed],
  ['layerlab-picture', PictureEmbed],
  ['layerlab-lesson', LessonEmbed],
] as const) {
  if (!customElements.get(name)) customElements.define(name, element);
}
