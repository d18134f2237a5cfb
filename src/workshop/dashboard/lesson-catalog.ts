/** What the page tells its scripts about the site's lessons (from the content collection, in the page's locale). */
export interface LessonInfo {
  title: string;
  /** Each step's title, in order: a reported step is an index into it. */
  steps: string[];
}
export type LessonCatalog = Record<string, LessonInfo>;
