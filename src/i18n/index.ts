import { fill } from './fill.js';
import ko from './ko.json';
import en from './en.json';

export const locales = ['ko', 'en'] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = 'ko';

export type MessageKey = keyof typeof ko;

// One key set for both locales (STYLE.md principle 8): the type below fails to
// compile if en.json lacks a key ko.json has, and a test checks the other way.
const catalogs: Record<Locale, Record<MessageKey, string>> = { ko, en };

export function isLocale(value: string | undefined): value is Locale {
  return (locales as readonly string[]).includes(value ?? '');
}

/** The UI string for `key`, with `{name}` placeholders filled from `params`. */
export function t(locale: Locale, key: MessageKey, params: Record<string, string | number> = {}): string {
  return fill(catalogs[locale][key], params);
}

export function catalog(locale: Locale): Readonly<Record<MessageKey, string>> {
  return catalogs[locale];
}
