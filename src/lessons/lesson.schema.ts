import { z } from 'zod';
import { goalSchema } from './goal.js';

/** One command line as a learner would type it. */
const commandSchema = z.string().trim().min(1);

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
  })
  .strict();

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
    steps: z.array(stepSchema).min(1),
  })
  .strict()
  .superRefine((lesson, ctx) => {
    const seen = new Set<string>();
    lesson.steps.forEach((step, i) => {
      if (seen.has(step.id)) ctx.addIssue({ code: 'custom', path: ['steps', i, 'id'], message: `duplicate step id "${step.id}"` });
      seen.add(step.id);
    });
  });

export type Step = z.infer<typeof stepSchema>;
export type Lesson = z.infer<typeof lessonSchema>;
