import type { APIRoute } from 'astro';
import { catalog, locales, type Locale } from '../../../../i18n';
import { lessonsFor, type LessonEntry } from '../../../../lessons/lesson-entries';
import { readStartingFiles } from '../../../../lessons/read-starting-files';
import { stepTitles } from '../../../../lessons/step-titles';
import { embedLessonData, LESSON_PANEL_KEYS } from '../../../../embed/embed-lesson';

/** One lesson's data for `<layerlab-lesson>` (src/embed/embed-lesson.ts): a file a lesson and language, fetched on demand. */
export async function getStaticPaths() {
  const paths = [];
  for (const lang of locales) for (const entry of await lessonsFor(lang)) paths.push({ params: { lang, id: entry.slug }, props: { entry } });
  return paths;
}

export const GET: APIRoute = ({ params, props }) => {
  const locale = params.lang as Locale;
  const { entry } = props as { entry: LessonEntry };
  const all = catalog(locale);
  const labels = Object.fromEntries(LESSON_PANEL_KEYS.map((key) => [key, all[key]]));
  const startingFiles = entry.filePath ? readStartingFiles(entry.filePath) : [];
  const data = embedLessonData(entry.data, locale, stepTitles(entry.body ?? ''), startingFiles, labels);
  return new Response(JSON.stringify(data), { headers: { 'content-type': 'application/json' } });
};
