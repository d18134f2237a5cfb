import { EMBED_EVENTS } from './embed-events.js';
import { sizeFramesFrom } from './frame-snippet.js';

/**
 * The docs page's examples, run as the snippets they show: the iframe sized by its frame's
 * messages, and the paragraph the goal example reveals once its widget fires `layerlab:goal`.
 */
sizeFramesFrom(location.origin);
document.querySelector('[data-example="goal"] layerlab-playground')?.addEventListener(EMBED_EVENTS.goal, () => {
  document.getElementById('embed-goal-next')!.hidden = false;
});
