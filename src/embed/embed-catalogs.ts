import type { Labels } from '../client/labels.js';
import type { EmbedLang } from './embed-options.js';

/** The UI strings of one language, fetched as a chunk of their own: a widget carries one catalog, not both. */
export const catalogs: Record<EmbedLang, () => Promise<Labels>> = {
  ko: () => import('../i18n/ko.json').then((m) => m.default as Labels),
  en: () => import('../i18n/en.json').then((m) => m.default as Labels),
};
