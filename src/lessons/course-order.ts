/**
 * The course's order: front matter `order`, never the id. A lesson keeps its id (its folder,
 * saved progress, links, workshops) when its place in the course changes, so `09-lifecycle`
 * may come before `07-whiteouts`.
 */
export function inCourseOrder<T extends { data: { order: number } }>(lessons: readonly T[]): T[] {
  return [...lessons].sort((a, b) => a.data.order - b.data.order);
}

/** Each lesson with the one that follows it in the course (the last has none). */
export function withNextInCourse<T extends { data: { order: number } }>(lessons: readonly T[]): { lesson: T; next: T | undefined }[] {
  const ordered = inCourseOrder(lessons);
  return ordered.map((lesson, i) => ({ lesson, next: ordered[i + 1] }));
}
