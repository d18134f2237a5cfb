import type { Labels } from '../client/labels.js';
import type { EmbedLang } from './embed-options.js';

/**
 * The UI strings of one language, imported when a widget knows its language. The embed's build puts both in its one
 * start file (build-embed.mjs's startModules: a file of their own was a round trip more before keys); the site's
 * iframe route fetches the one it needs.
 */
export const catalogs: Record<EmbedLang, () => Promise<Labels>> = {
  ko: () => import('../i18n/ko.json').then((m) => m.default as Labels),
  en: () => import('../i18n/en.json').then((m) => m.default as Labels),
};
