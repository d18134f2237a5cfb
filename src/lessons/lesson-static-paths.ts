import { locales } from '../i18n/index.js';
import { withNextInCourse } from './course-order.js';
import { lessonsFor, type LessonEntry } from './lesson-entries.js';

export interface LessonPageProps {
  entry: LessonEntry;
  next?: { slug: string; title: string } | undefined;
}

/**
 * The lesson pages of one route: those with the editor (`editor:` in the front matter) or
 * those without. Two routes, because Astro links on every page of a route the stylesheets
 * its scripts can reach; the next lesson is the next in the course either way.
 */
export async function lessonStaticPaths(withEditor: boolean) {
  const paths = [];
  for (const lang of locales) {
    for (const { lesson: entry, next } of withNextInCourse(await lessonsFor(lang))) {
      if ((entry.data.editor !== undefined) !== withEditor) continue;
      const props: LessonPageProps = { entry, next: next ? { slug: next.slug, title: next.data.title } : undefined };
      paths.push({ params: { lang, slug: entry.slug }, props });
    }
  }
  return paths;
}
