import { isLocale, type Locale } from '../i18n/index.js';

/**
 * A lesson's content-collection id is `<locale>/<NN-slug>` (the folder under
 * content/lessons, Starlight's mirrored trees); the slug is the locale-independent
 * lesson id and the URL is `/<locale>/lessons/<slug>/`.
 */
export function splitLessonEntryId(entryId: string): { locale: Locale; slug: string } {
  const [locale, slug, ...rest] = entryId.split('/');
  if (!isLocale(locale) || !slug || rest.length > 0) throw new Error(`lesson entry "${entryId}" is not <locale>/<NN-slug>`);
  return { locale, slug };
}

export function lessonUrl(locale: Locale, slug: string): string {
  return `/${locale}/lessons/${slug}/`;
}
