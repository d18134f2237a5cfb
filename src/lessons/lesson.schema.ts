import { z } from 'zod';
import { contextPathSchema, goalSchema, type Goal } from './goal.js';

/** One command line as a learner would type it. */
const commandSchema = z.string().trim().min(1);

/** Editor files by build-context path: `{ Dockerfile: "FROM busybox\n…" }`. */
const filesSchema = z.record(contextPathSchema, z.string()).refine((files) => Object.keys(files).length > 0, 'name at least one file');

export const stepSchema = z
  .object({
    /** Stable within the lesson, the same in every locale: progress is kept by it. */
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
    goal: goalSchema,
    hint: z.string().min(1),
    /** Commands that reach the goal from the previous step's end state (CI replays them). */
    solution: z.array(commandSchema).min(1),
    /** Plausible mistakes that must NOT reach the goal (CI checks that too). */
    nearMiss: z.array(commandSchema).min(1).optional(),
    /** Loaded into the page's editor (and its build context) when the step becomes current; other files stay. */
    files: filesSchema.optional(),
    /** The learner's edits in the editor that, with `solution`, reach the goal (CI writes them before the commands). */
    solutionFiles: filesSchema.optional(),
    /** Plausible wrong edits, run with `nearMiss` (or alone): they must NOT reach the goal. */
    nearMissFiles: filesSchema.optional(),
  })
  .strict();

/** Whether a goal reads the editor's files: such a step needs a page with an editor. */
export function readsEditorFiles(goal: Goal): boolean {
  switch (goal.kind) {
    case 'fileContent':
      return true;
    case 'all':
    case 'any':
      return goal.goals.some(readsEditorFiles);
    case 'not':
      return readsEditorFiles(goal.goal);
    default:
      return false;
  }
}

export const lessonSchema = z
  .object({
    /** Locale-independent: `06-containers` in both ko and en; progress is stored under it. */
    id: z.string().regex(/^\d{2}-[a-z0-9]+(-[a-z0-9]+)*$/),
    title: z.string().min(1),
    /** One sentence for the lesson index. */
    summary: z.string().min(1),
    order: z.number().int().positive(),
    /** Commands run on a fresh engine before the first step (the lesson's starting state). */
    setup: z.array(commandSchema).default([]),
    /**
     * The page gets the Dockerfile editor (its Build button runs `docker build -t <tag> .`),
     * starting with the lesson's files/. Pages without it load no Monaco at all.
     */
    editor: z
      .object({ tag: z.string().regex(/^[a-z0-9][a-z0-9._/-]*(:[\w][\w.-]{0,127})?$/) })
      .strict()
      .optional(),
    steps: z.array(stepSchema).min(1),
  })
  .strict()
  .superRefine((lesson, ctx) => {
    const seen = new Set<string>();
    lesson.steps.forEach((step, i) => {
      if (seen.has(step.id)) ctx.addIssue({ code: 'custom', path: ['steps', i, 'id'], message: `duplicate step id "${step.id}"` });
      seen.add(step.id);
      // Without an editor the learner could neither see the files nor edit them.
      if (lesson.editor) return;
      for (const field of ['files', 'solutionFiles', 'nearMissFiles'] as const) {
        if (step[field]) ctx.addIssue({ code: 'custom', path: ['steps', i, field], message: `\`${field}\` needs the lesson's \`editor\`` });
      }
      if (readsEditorFiles(step.goal))
        ctx.addIssue({ code: 'custom', path: ['steps', i, 'goal'], message: "a `fileContent` goal needs the lesson's `editor`" });
    });
  });

export type Step = z.infer<typeof stepSchema>;
export type Lesson = z.infer<typeof lessonSchema>;
