import { z } from 'zod';
import type { Guess } from './prediction.js';

/**
 * What a learner has done, kept in the browser (localStorage) under the
 * locale-independent lesson id, so switching language keeps progress. Exported and
 * imported as a JSON file, to move between browsers.
 */
export const PROGRESS_KEY = 'layerlab.progress';

const guessSchema = z.union([z.object({ choice: z.number().int().nonnegative() }).strict(), z.object({ typed: z.string() }).strict()]);

// Every field after `updatedAt` came later and is optional, so progress saved before them
// (and files exported then) still reads as version 1.
const lessonProgressSchema = z.object({
  completedSteps: z.array(z.string()),
  /** ISO time of the last thing the learner did. */
  updatedAt: z.string(),
  /** Guesses made before a step's command, by step id. */
  predictions: z.record(z.string(), guessSchema).optional(),
  /** The choice picked for each quiz question, by question id. */
  quiz: z.record(z.string(), z.number().int().nonnegative()).optional(),
  /** How many of the challenge's hints the learner has opened. */
  hints: z.number().int().nonnegative().optional(),
  challengeDone: z.boolean().optional(),
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
  predict(lessonId: string, stepId: string, guess: Guess): void;
  answerQuiz(lessonId: string, questionId: string, choice: number): void;
  /** Keeps the highest count of hints opened: a hint once seen stays open. */
  revealHints(lessonId: string, count: number): void;
  completeChallenge(lessonId: string): void;
  resetLesson(lessonId: string): void;
  /** The whole progress as the JSON text of a `.json` file. */
  exportJson(): string;
  /** Merges a file made by `exportJson` (union of completed steps, our answers over theirs); throws on anything else. */
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

  /** Applies `change` to one lesson's progress and saves it, unless `change` says nothing changed (false). */
  function update(lessonId: string, change: (current: LessonProgress) => LessonProgress | false): void {
    const file = read();
    const next = change(file.lessons[lessonId] ?? { completedSteps: [], updatedAt: '' });
    if (next === false) return;
    file.lessons[lessonId] = { ...next, updatedAt: now().toISOString() };
    write(file);
  }

  return {
    lesson(lessonId) {
      return read().lessons[lessonId] ?? { completedSteps: [], updatedAt: '' };
    },
    completeStep(lessonId, stepId) {
      update(lessonId, (current) => !current.completedSteps.includes(stepId) && { ...current, completedSteps: [...current.completedSteps, stepId] });
    },
    predict(lessonId, stepId, guess) {
      update(lessonId, (current) => ({ ...current, predictions: { ...current.predictions, [stepId]: guess } }));
    },
    answerQuiz(lessonId, questionId, choice) {
      update(lessonId, (current) => ({ ...current, quiz: { ...current.quiz, [questionId]: choice } }));
    },
    revealHints(lessonId, count) {
      update(lessonId, (current) => count > (current.hints ?? 0) && { ...current, hints: count });
    },
    completeChallenge(lessonId) {
      update(lessonId, (current) => !current.challengeDone && { ...current, challengeDone: true });
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
        file.lessons[id] = ours ? merge(ours, theirs) : theirs;
      }
      write(file);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function merge(ours: LessonProgress, theirs: LessonProgress): LessonProgress {
  const merged: LessonProgress = {
    completedSteps: [...new Set([...ours.completedSteps, ...theirs.completedSteps])],
    updatedAt: ours.updatedAt > theirs.updatedAt ? ours.updatedAt : theirs.updatedAt,
  };
  if (ours.predictions || theirs.predictions) merged.predictions = { ...theirs.predictions, ...ours.predictions };
  if (ours.quiz || theirs.quiz) merged.quiz = { ...theirs.quiz, ...ours.quiz };
  if (ours.hints !== undefined || theirs.hints !== undefined) merged.hints = Math.max(ours.hints ?? 0, theirs.hints ?? 0);
  if (ours.challengeDone || theirs.challengeDone) merged.challengeDone = true;
  return merged;
}
