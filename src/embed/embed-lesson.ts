import type { Goal } from '../lessons/goal.js';
import type { Lesson } from '../lessons/lesson.schema.js';
import type { StartingFile } from '../lessons/starting-files.js';

/**
 * What `<layerlab-lesson>` fetches for one lesson in one language
 * (`/{lang}/embed/lessons/{id}.json`, one file a lesson, so a widget carries only the lesson
 * it shows): the lesson's own front matter data as the lesson page hands it to `<ll-lesson>`
 * — the steps' goals, hints and solutions, the challenge without its near misses' commands —
 * its starting files, and the UI strings the lesson panel speaks (the embed's catalog leaves
 * the lesson pages' strings out). The site builds it from the validated lesson, so the widget
 * trusts its shape and never loads a schema.
 */
export interface EmbedLessonStep {
  id: string;
  /** The first heading inside the step's `<Step>` in the lesson's text. */
  title: string;
  goal: Goal;
  /** One hint, or graded hints (the idea, the flag, the command), each opened from inside the one before. */
  hint: string | string[];
  solution: string[];
  /** Loaded into the widget's files (and build context) when the step becomes current. */
  files?: Record<string, string>;
  /** The learner's edits that, with `solution`, reach the goal: a step shown alone starts after them. */
  solutionFiles?: Record<string, string>;
}

export interface EmbedLessonData {
  id: string;
  lang: string;
  title: string;
  summary: string;
  /** The lesson's page on the site, from the site's root (`ko/lessons/05-images/`). */
  path: string;
  setup: string[];
  /** The image tag the editor's Build button builds, for lessons with the editor. */
  editorTag?: string;
  steps: EmbedLessonStep[];
  challenge?: { task: string; goal: Goal; hints: string[]; solution: string[]; nearMisses: { when: Goal; message: string }[] };
  startingFiles: StartingFile[];
  labels: Record<string, string>;
}

/** The keys of the site's catalog the lesson panel reads (they go with the lesson, not in every widget's catalog). */
export const LESSON_PANEL_KEYS = [
  'lesson.step',
  'lesson.steps',
  'lesson.done',
  'lesson.hint',
  'lesson.solution',
  'lesson.stepDone',
  'lesson.complete',
  'lesson.challenge.title',
  'lesson.challenge.intro',
  'lesson.challenge.hint',
  'lesson.challenge.solution',
  'lesson.challenge.done',
  'lesson.challenge.nearMiss',
  'terminal.run',
  'embed.lesson.open',
  'embed.lesson.preparing',
  'embed.lesson.stepOnly',
] as const;

export function embedLessonData(
  lesson: Lesson,
  lang: string,
  titles: ReadonlyMap<string, string>,
  startingFiles: StartingFile[],
  labels: Record<string, string>,
): EmbedLessonData {
  const { challenge } = lesson;
  return {
    id: lesson.id,
    lang,
    title: lesson.title,
    summary: lesson.summary,
    path: `${lang}/lessons/${lesson.id}/`,
    setup: lesson.setup,
    ...(lesson.editor ? { editorTag: lesson.editor.tag } : {}),
    steps: lesson.steps.map((s) => ({
      id: s.id,
      title: titles.get(s.id) ?? s.id,
      goal: s.goal,
      hint: s.hint,
      solution: s.solution,
      ...(s.files ? { files: s.files } : {}),
      ...(s.solutionFiles ? { solutionFiles: s.solutionFiles } : {}),
    })),
    ...(challenge
      ? {
          challenge: {
            task: challenge.task,
            goal: challenge.goal,
            hints: challenge.hints,
            solution: challenge.solution,
            nearMisses: challenge.nearMisses.map(({ when, message }) => ({ when, message })),
          },
        }
      : {}),
    startingFiles,
    labels,
  };
}
