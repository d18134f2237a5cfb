import { z } from 'zod';

/**
 * What a learner has done, kept in the browser (localStorage) under the
 * locale-independent lesson id, so switching language keeps progress. Exported and
 * imported as a JSON file, to move between browsers.
 */
export const PROGRESS_KEY = 'layerlab.progress';

const lessonProgressSchema = z.object({
  completedSteps: z.array(z.string()),
  /** ISO time of the last step completed. */
  updatedAt: z.string(),
});

export const progressFileSchema = z.object({
  format: z.literal('layerlab-progress'),
  version: z.literal(1),
  lessons: z.record(z.string(), lessonProgressSchema),
});

export type ProgressFile = z.infer<typeof progressFileSchema>;
export type LessonProgress = z.infer<typeof lessonProgressSchema>;

/** The part of the Web Storage API the store needs; tests pass a Map-backed one. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface ProgressStore {
  lesson(lessonId: string): LessonProgress;
  completeStep(lessonId: string, stepId: string): void;
  resetLesson(lessonId: string): void;
  /** The whole progress as the JSON text of a `.json` file. */
  exportJson(): string;
  /** Merges a file made by `exportJson` (union of completed steps); throws on anything else. */
  importJson(text: string): void;
  subscribe(listener: () => void): () => void;
}

const empty = (): ProgressFile => ({ format: 'layerlab-progress', version: 1, lessons: {} });

export function createProgressStore(storage: KeyValueStorage, now: () => Date = () => new Date()): ProgressStore {
  const listeners = new Set<() => void>();

  function read(): ProgressFile {
    const raw = storage.getItem(PROGRESS_KEY);
    if (raw === null) return empty();
    try {
      const parsed = progressFileSchema.safeParse(JSON.parse(raw));
      // A corrupt entry (another tab mid-write, an old format) must not break the page.
      return parsed.success ? parsed.data : empty();
    } catch {
      return empty();
    }
  }

  function write(file: ProgressFile): void {
    storage.setItem(PROGRESS_KEY, JSON.stringify(file));
    for (const listener of listeners) listener();
  }

  return {
    lesson(lessonId) {
      return read().lessons[lessonId] ?? { completedSteps: [], updatedAt: '' };
    },
    completeStep(lessonId, stepId) {
      const file = read();
      const current = file.lessons[lessonId] ?? { completedSteps: [], updatedAt: '' };
      if (current.completedSteps.includes(stepId)) return;
      file.lessons[lessonId] = { completedSteps: [...current.completedSteps, stepId], updatedAt: now().toISOString() };
      write(file);
    },
    resetLesson(lessonId) {
      const file = read();
      delete file.lessons[lessonId];
      write(file);
    },
    exportJson() {
      return JSON.stringify(read(), null, 2);
    },
    importJson(text) {
      const incoming = progressFileSchema.parse(JSON.parse(text));
      const file = read();
      for (const [id, theirs] of Object.entries(incoming.lessons)) {
        const ours = file.lessons[id];
        file.lessons[id] = ours
          ? {
              completedSteps: [...new Set([...ours.completedSteps, ...theirs.completedSteps])],
              updatedAt: ours.updatedAt > theirs.updatedAt ? ours.updatedAt : theirs.updatedAt,
            }
          : theirs;
      }
      write(file);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
