import { catalog, type Locale, type MessageKey } from '../i18n';

/** The UI strings an island needs, for `data-labels` (islands do not bundle both catalogs). */
export function labelsFor(locale: Locale, keys: readonly MessageKey[], prefixes: readonly string[] = []): string {
  const all = catalog(locale);
  const picked: Record<string, string> = {};
  for (const key of Object.keys(all) as MessageKey[]) {
    if (keys.includes(key) || prefixes.some((p) => key.startsWith(p))) picked[key] = all[key];
  }
  return JSON.stringify(picked);
}
