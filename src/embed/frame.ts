import { EMBED_EVENTS } from './embed-events.js';
// The elements themselves, defined before the one below is made (layerlab.ts, the embed's entry, asks for them later).
import './embed-elements.js';

/**
 * The iframe form (`/{ko,en}/embed/frame?…`) for sites that allow no script (Markdown
 * hosts): the same options as query parameters — `element=picture` for `<layerlab-picture>`,
 * `element=lesson` for `<layerlab-lesson>` — made into the element here. The frame posts its height (`layerlab:resize`) and the
 * element's events to the page that holds it, as `{ source: 'layerlab', type, … }`; the
 * page's snippet checks the message's origin. `parent=<origin>` posts only to that origin.
 */
const ATTRIBUTES = ['lang', 'view', 'commands', 'run', 'files', 'height', 'theme', 'goal', 'server', 'lesson', 'step', 'editor'];
const ELEMENTS: Record<string, string> = { picture: 'layerlab-picture', lesson: 'layerlab-lesson' };

const params = new URLSearchParams(location.search);
const element = document.createElement(ELEMENTS[params.get('element') ?? ''] ?? 'layerlab-playground');
for (const name of ATTRIBUTES) {
  const value = params.get(name);
  if (value !== null) element.setAttribute(name, value);
}
if (!params.has('lang')) element.setAttribute('lang', document.documentElement.lang);
document.body.append(element);

const target = params.get('parent') ?? '*';
const post = (message: Record<string, unknown>) => {
  if (parent !== window) parent.postMessage({ source: 'layerlab', ...message }, target);
};
let last = -1;
new ResizeObserver(() => {
  const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
  if (height !== last) post({ type: 'layerlab:resize', height: (last = height) });
}).observe(document.documentElement);
for (const name of Object.values(EMBED_EVENTS))
  element.addEventListener(name, (event) => post({ type: name, detail: (event as CustomEvent).detail }));
