import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The lessons a workshop may list: the lesson folders present in both locales (they mirror each
 * other, test/i18n checks it), read once at start. Undefined where the server runs without the
 * sources (a deployed `dist/` alone): then any lesson slug is taken.
 */
export function siteLessons(contentDir: string): ReadonlySet<string> | undefined {
  const dirs = (locale: string) => {
    const dir = join(contentDir, locale);
    return existsSync(dir)
      ? readdirSync(dir, { withFileTypes: true })
          .filter((e) => e.isDirectory())
          .map((e) => e.name)
      : [];
  };
  const en = dirs('en');
  const ko = new Set(dirs('ko'));
  const both = en.filter((name) => ko.has(name));
  return both.length === 0 ? undefined : new Set(both);
}
