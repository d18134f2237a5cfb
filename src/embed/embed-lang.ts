export type EmbedLang = 'ko' | 'en';

const LANGS: readonly EmbedLang[] = ['ko', 'en'];

/**
 * A widget's language: its `lang` attribute, else the host page's (`<html lang="ko-KR">` → `ko`), else English
 * when the attribute is left out; undefined for a `lang` Layerlab does not speak (the widget says so).
 */
export function widgetLang(attr: string | null, pageLang: string): EmbedLang | undefined {
  const lang = LANGS.find((l) => l === (attr ?? pageLang.toLowerCase().split('-')[0]));
  return lang ?? (attr === null ? 'en' : undefined);
}
