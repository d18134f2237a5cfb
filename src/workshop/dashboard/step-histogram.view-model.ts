import type { LearnerRow } from './class-rows.js';
import type { LessonCatalog } from './lesson-catalog.js';

export interface HistogramBin {
  /** Stable across updates, for the view's keyed join: `start`, or `<lesson>/<step>`. */
  key: string;
  lesson: string | null;
  step: number | null;
  count: number;
  stuck: number;
}

export interface StepHistogram {
  bins: HistogramBin[];
  max: number;
}

/**
 * Where the class is: one bin before the first report, then one per step of the workshop's lessons
 * in its order (empty ones too, so the bars keep their places as the class moves). A learner on a
 * step the catalog does not know (a lesson changed since) gets a bin after its lesson's steps.
 */
export function toStepHistogram(rows: Iterable<LearnerRow>, lessons: readonly string[], catalog: LessonCatalog): StepHistogram {
  const bins = new Map<string, HistogramBin>();
  const bin = (lesson: string | null, step: number | null): HistogramBin => {
    const key = lesson === null ? 'start' : `${lesson}/${step ?? 0}`;
    let found = bins.get(key);
    if (!found) bins.set(key, (found = { key, lesson, step: lesson === null ? null : (step ?? 0), count: 0, stuck: 0 }));
    return found;
  };
  bin(null, null);
  for (const lesson of lessons) (catalog[lesson]?.steps ?? ['']).forEach((_, i) => bin(lesson, i));
  for (const row of rows) {
    const b = bin(row.lesson, row.step);
    b.count += 1;
    if (row.stuck) b.stuck += 1;
  }
  const place = new Map(lessons.map((l, i) => [l, i]));
  const ordered = [...bins.values()].sort((a, b) => {
    if (a.lesson === null || b.lesson === null) return a.lesson === null ? (b.lesson === null ? 0 : -1) : 1;
    return (place.get(a.lesson) ?? lessons.length) - (place.get(b.lesson) ?? lessons.length) || (a.step ?? 0) - (b.step ?? 0);
  });
  return { bins: ordered, max: Math.max(1, ...ordered.map((b) => b.count)) };
}
