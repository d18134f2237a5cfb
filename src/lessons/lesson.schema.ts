import { z } from 'zod';
import { contextPathSchema, goalSchema, type Goal } from './goal.js';

/** One command line as a learner would type it. */
const commandSchema = z.string().trim().min(1);

/** Editor files by build-context path: `{ Dockerfile: "FROM busybox\n…" }`. */
const filesSchema = z.record(contextPathSchema, z.string()).refine((files) => Object.keys(files).length > 0, 'name at least one file');

/**
 * A guess asked before a step's command, where what it prints is the point (which build
 * steps are CACHED, an image's size, what `docker diff` lists): a choice (`choices` and
 * the `answer`'s index) or typed (`accept`, compared without case or blanks). After the
 * step, the page shows the guess beside what happened; right or wrong, the learner goes on.
 */
export const predictionSchema = z
  .object({
    question: z.string().min(1),
    choices: z.array(z.string().min(1)).min(2).max(5).optional(),
    answer: z.number().int().nonnegative().optional(),
    accept: z.array(z.string().trim().min(1)).min(1).optional(),
    /** Text the step's solution prints that shows the answer: CI checks it is there, on both backends. */
    observed: z.string().min(1),
    /** Why the answer is what it is; shown with the comparison. */
    explain: z.string().min(1),
  })
  .strict()
  .superRefine((p, ctx) => {
    const choice = p.choices !== undefined;
    if (choice === (p.accept !== undefined)) ctx.addIssue({ code: 'custom', message: 'give `choices` with `answer`, or `accept`, not both' });
    if (choice && (p.answer === undefined || p.answer >= p.choices!.length))
      ctx.addIssue({ code: 'custom', path: ['answer'], message: '`answer` is the index of one of `choices`' });
    if (!choice && p.answer !== undefined) ctx.addIssue({ code: 'custom', path: ['answer'], message: '`answer` needs `choices`' });
  });

/** What the editor's Build button names the image: `docker build -t <tag> .`. */
const buildTagSchema = z.string().regex(/^[a-z0-9][a-z0-9._/-]*(:[\w][\w.-]{0,127})?$/);

export const stepSchema = z
  .object({
    /** Stable within the lesson, the same in every locale: progress is kept by it. */
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
    goal: goalSchema,
    /**
     * One hint, or graded hints revealed one at a time — the idea, then the flag, then the
     * command — for a step that states only its goal (the capstone's).
     */
    hint: z.union([z.string().min(1), z.array(z.string().min(1)).min(2).max(3)]),
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
    /** A guess asked before the step's command (see `predictionSchema`). */
    predict: predictionSchema.optional(),
    /**
     * The Build button's tag while this step is current, where a lesson builds one version
     * after another (`guestbook:2`, then `guestbook:3`); without it, the lesson's `editor.tag`.
     */
    buildTag: buildTagSchema.optional(),
  })
  .strict();

/**
 * A plausible wrong attempt at a challenge: CI runs `commands` after the challenge's start
 * and checks the goal stays unmet while `when` is met — the state the page recognises
 * to say `message` (what is off, not the answer).
 */
const challengeNearMissSchema = z.object({ commands: z.array(commandSchema).min(1), when: goalSchema, message: z.string().min(1) }).strict();

/**
 * The lesson's challenge, after its steps: only the goal is stated; hints go from the
 * idea to the flag to the command, one at a time; the solution stays hidden until asked.
 * Its goal is checked on the state as a step's is.
 */
export const challengeSchema = z
  .object({
    task: z.string().min(1),
    goal: goalSchema,
    hints: z.array(z.string().min(1)).min(2).max(3),
    solution: z.array(commandSchema).min(1),
    nearMisses: z.array(challengeNearMissSchema).min(1),
  })
  .strict();

/** A question of the quiz at the lesson's end: one right choice, and why. */
export const quizQuestionSchema = z
  .object({
    /** Stable within the lesson, the same in every locale: the learner's answer is kept by it. */
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
    question: z.string().min(1),
    choices: z.array(z.string().min(1)).min(2).max(4),
    answer: z.number().int().nonnegative(),
    explain: z.string().min(1),
  })
  .strict()
  .refine((q) => q.answer < q.choices.length, { path: ['answer'], message: '`answer` is the index of one of `choices`' });

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
    editor: z.object({ tag: buildTagSchema }).strict().optional(),
    steps: z.array(stepSchema).min(1),
    challenge: challengeSchema.optional(),
    /** What the lesson showed, a sentence a point, read before the quiz. */
    recap: z.array(z.string().min(1)).min(1).max(5).optional(),
    quiz: z.array(quizQuestionSchema).min(2).max(3).optional(),
  })
  .strict()
  .superRefine((lesson, ctx) => {
    const questions = new Set<string>();
    lesson.quiz?.forEach((q, i) => {
      if (questions.has(q.id)) ctx.addIssue({ code: 'custom', path: ['quiz', i, 'id'], message: `duplicate question id "${q.id}"` });
      questions.add(q.id);
    });
    if (!lesson.editor && lesson.challenge && readsEditorFiles(lesson.challenge.goal))
      ctx.addIssue({ code: 'custom', path: ['challenge', 'goal'], message: "a `fileContent` goal needs the lesson's `editor`" });
    const seen = new Set<string>();
    lesson.steps.forEach((step, i) => {
      if (seen.has(step.id)) ctx.addIssue({ code: 'custom', path: ['steps', i, 'id'], message: `duplicate step id "${step.id}"` });
      seen.add(step.id);
      // Without an editor the learner could neither see the files nor edit them.
      if (lesson.editor) return;
      for (const field of ['files', 'solutionFiles', 'nearMissFiles', 'buildTag'] as const) {
        if (step[field]) ctx.addIssue({ code: 'custom', path: ['steps', i, field], message: `\`${field}\` needs the lesson's \`editor\`` });
      }
      if (readsEditorFiles(step.goal))
        ctx.addIssue({ code: 'custom', path: ['steps', i, 'goal'], message: "a `fileContent` goal needs the lesson's `editor`" });
    });
  });

export type Step = z.infer<typeof stepSchema>;
export type Lesson = z.infer<typeof lessonSchema>;
export type Prediction = z.infer<typeof predictionSchema>;
export type Challenge = z.infer<typeof challengeSchema>;
export type QuizQuestion = z.infer<typeof quizQuestionSchema>;
