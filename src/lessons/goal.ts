import { z } from 'zod';
import { containerStatusSchema } from '../engine/state.js';

/**
 * Lesson goals are data (Learn Git Branching's idea, STYLE.md principle 7): a small
 * vocabulary checked against the engine's state snapshot, the same on the simulator
 * and on the sandbox, so CI can replay every solution against it.
 */

/** An exact number, or a range; `{ min: 1 }` when left out. */
export const countSchema = z.union([
  z.number().int().nonnegative(),
  z.object({ min: z.number().int().nonnegative().optional(), max: z.number().int().nonnegative().optional() }).strict(),
]);
export type Count = z.infer<typeof countSchema>;

/** Which containers a goal talks about; every given field must match. */
const containerFilter = {
  /** The container's name, as `--name` gave it (Docker's leading `/` is ignored). */
  name: z.string().min(1).optional(),
  /** An image reference (`busybox`, `hello:1`, an ID prefix); `busybox` means `busybox:latest`. */
  image: z.string().min(1).optional(),
  status: containerStatusSchema.optional(),
  exitCode: z.number().int().optional(),
  /** A substring of the container's command (`uname`). */
  command: z.string().min(1).optional(),
};

export const containersGoalSchema = z.object({ kind: z.literal('containers'), ...containerFilter, count: countSchema.optional() }).strict();

export const containerStatusGoalSchema = z
  .object({ kind: z.literal('containerStatus'), name: z.string().min(1), status: containerStatusSchema })
  .strict();

/** An entry in a container's own layer (the upper dir), as opposed to its image. */
export const containerFileGoalSchema = z
  .object({
    kind: z.literal('containerFile'),
    path: z.string().startsWith('/'),
    layer: z.literal('upper'),
    /** The container's name; any container when left out. */
    container: z.string().min(1).optional(),
    /** `whiteout` asks for a deletion of an image file; any other kind when left out. */
    entry: z.enum(['file', 'dir', 'symlink', 'whiteout', 'opaque']).optional(),
  })
  .strict();

/** A line of `docker diff`: A(dded), C(hanged) or D(eleted) against the image. */
export const containerChangeGoalSchema = z
  .object({
    kind: z.literal('containerChange'),
    path: z.string().startsWith('/'),
    change: z.enum(['A', 'C', 'D']).optional(),
    container: z.string().min(1).optional(),
  })
  .strict();

export const imageExistsGoalSchema = z.object({ kind: z.literal('imageExists'), ref: z.string().min(1) }).strict();

/** How many filesystem layers an image has (RootFS.Layers). */
export const imageLayersGoalSchema = z.object({ kind: z.literal('imageLayers'), ref: z.string().min(1), count: countSchema }).strict();

/**
 * An entry stored in one of an image's layers (any of RootFS.Layers). A file a later
 * layer deletes still counts: it is still stored, under the whiteout that hides it.
 */
export const imageFileGoalSchema = z
  .object({
    kind: z.literal('imageFile'),
    ref: z.string().min(1),
    path: z.string().startsWith('/'),
    /** `whiteout` asks for a deletion; any other kind when left out. */
    entry: z.enum(['file', 'dir', 'symlink', 'whiteout', 'opaque']).optional(),
  })
  .strict();

/**
 * How many layers, from the base up, two images have in common (the same chainID):
 * what the store keeps once, and what a rebuild took from the build cache.
 */
export const sharedLayersGoalSchema = z
  .object({ kind: z.literal('sharedLayers'), images: z.tuple([z.string().min(1), z.string().min(1)]), count: countSchema })
  .strict();

/** A path in the build context, as the editor names its files (`Dockerfile`, `v1/app.txt`). */
export const contextPathSchema = z
  .string()
  .min(1)
  .regex(/^(?!\/)(?!.*(^|\/)\.\.?(\/|$))/, 'a relative path inside the build context');

/**
 * A file of the page's editor (the build context as the learner is writing it): it holds
 * `includes` and matches `matches` (a regular expression, `^`/`$` at line ends).
 */
export const fileContentGoalSchema = z
  .object({
    kind: z.literal('fileContent'),
    path: contextPathSchema,
    includes: z.string().min(1).optional(),
    matches: z
      .string()
      .min(1)
      .refine((source) => {
        try {
          new RegExp(source, 'm');
          return true;
        } catch {
          return false;
        }
      }, 'not a valid regular expression')
      .optional(),
  })
  .strict()
  .refine((goal) => goal.includes !== undefined || goal.matches !== undefined, 'give `includes`, `matches` or both');

/**
 * A volume of the session (`docker volume ls`): by name, and held by a container of that
 * name when `usedBy` is given (`-v name:/path` on `run` or `create`).
 */
export const volumeGoalSchema = z.object({ kind: z.literal('volume'), name: z.string().min(1), usedBy: z.string().min(1).optional() }).strict();

/**
 * A command the learner ran, with exit status 0, since the step became current: a step
 * whose point is in what an inspecting command prints (`docker diff`, `docker history`)
 * ends only once the learner has looked. `command` is its first words (`docker diff c1`
 * matches `docker diff c1` and `docker diff c1 --help` alike, not `docker diff c2`).
 */
export const ranGoalSchema = z
  .object({
    kind: z.literal('ran'),
    command: z
      .string()
      .trim()
      .regex(/^docker( \S+)+$/, 'a docker command, its words separated by one space'),
  })
  .strict();

export type Goal =
  | z.infer<typeof containersGoalSchema>
  | z.infer<typeof containerStatusGoalSchema>
  | z.infer<typeof containerFileGoalSchema>
  | z.infer<typeof containerChangeGoalSchema>
  | z.infer<typeof imageExistsGoalSchema>
  | z.infer<typeof imageLayersGoalSchema>
  | z.infer<typeof imageFileGoalSchema>
  | z.infer<typeof sharedLayersGoalSchema>
  | z.infer<typeof fileContentGoalSchema>
  | z.infer<typeof ranGoalSchema>
  | z.infer<typeof volumeGoalSchema>
  | { kind: 'all'; goals: Goal[] }
  | { kind: 'any'; goals: Goal[] }
  | { kind: 'not'; goal: Goal };

export const goalSchema: z.ZodType<Goal> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    containersGoalSchema,
    containerStatusGoalSchema,
    containerFileGoalSchema,
    containerChangeGoalSchema,
    imageExistsGoalSchema,
    imageLayersGoalSchema,
    imageFileGoalSchema,
    sharedLayersGoalSchema,
    fileContentGoalSchema,
    ranGoalSchema,
    volumeGoalSchema,
    z.object({ kind: z.literal('all'), goals: z.array(goalSchema).min(1) }).strict(),
    z.object({ kind: z.literal('any'), goals: z.array(goalSchema).min(1) }).strict(),
    z.object({ kind: z.literal('not'), goal: goalSchema }).strict(),
  ]),
);
