import { getCollection, type CollectionEntry } from 'astro:content';
import type { Locale } from '../i18n/index.js';
import { inCourseOrder } from './course-order.js';
import { splitLessonEntryId } from './lesson-path.js';

export type LessonEntry = CollectionEntry<'lessons'> & { slug: string; locale: Locale };

/** A locale's lessons in their order (front matter `order`), for pages. */
export async function lessonsFor(locale: Locale): Promise<LessonEntry[]> {
  const all = await getCollection('lessons');
  return inCourseOrder(all.map((entry) => ({ ...entry, ...splitLessonEntryId(entry.id) })).filter((entry) => entry.locale === locale));
}
