import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
// Astro's own front matter parser, so the tests read lessons exactly as the build does.
import { parseFrontmatter } from '@astrojs/markdown-remark';
import { lessonSchema, type Lesson } from '../../src/lessons/lesson.schema.js';
import { locales, type Locale } from '../../src/i18n/index.js';

export const LESSONS_DIR = 'content/lessons';

export interface LessonFile {
  locale: Locale;
  folder: string;
  path: string;
  frontmatter: Record<string, unknown>;
  body: string;
}

/** Every `content/lessons/<locale>/<NN-slug>/index.mdx`, front matter not yet validated. */
export function lessonFiles(): LessonFile[] {
  return locales.flatMap((locale) =>
    readdirSync(join(LESSONS_DIR, locale), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => {
        const path = join(LESSONS_DIR, locale, d.name, 'index.mdx');
        const { frontmatter, content } = parseFrontmatter(readFileSync(path, 'utf8'), { frontmatter: 'remove' });
        return { locale, folder: d.name, path, frontmatter, body: content };
      }),
  );
}

/** The lessons of one locale, validated, in their order. */
export function lessons(locale: Locale): (Lesson & { path: string })[] {
  return lessonFiles()
    .filter((f) => f.locale === locale)
    .map((f) => ({ ...lessonSchema.parse(f.frontmatter), path: f.path }))
    .sort((a, b) => a.order - b.order);
}
