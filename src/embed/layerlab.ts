import { prefetchSimulator } from '../client/sim-modules.js';
import { catalogs } from './embed-catalogs.js';
import { widgetLang } from './embed-lang.js';

/**
 * The embed bundle's entry, served as `/embed/v1/layerlab.js` (an ES module; its chunks beside it). A small
 * file that asks, at once, for what the page's widgets need: their code (embed-elements.ts, which defines the
 * elements) and, for the widgets already on the page, their language's strings and — unless every one runs on a
 * `server` — the simulator. Fetched and compiled side by side, none waits for another to be run first: with the
 * widgets' code in this file, the simulator was asked for only once all of it had been compiled and run
 * (BENCHMARKS.md, issue 15's start). A widget added later asks for the same files itself, fetched once.
 * Nothing of it goes on `window`.
 */
const widgets = [...document.querySelectorAll('layerlab-playground, layerlab-picture, layerlab-lesson')];
if (widgets.some((w) => !w.hasAttribute('server'))) prefetchSimulator();
for (const lang of new Set(widgets.map((w) => widgetLang(w.getAttribute('lang'), document.documentElement.lang))))
  if (lang) void catalogs[lang]().catch(() => undefined);
void import('./embed-elements.js');
