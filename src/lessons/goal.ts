import * as z from 'zod/mini';
import { containerStatusSchema } from '../engine/state.js';

/**
 * Lesson goals are data (Learn Git Branching's idea, STYLE.md principle 7): a small
 * vocabulary checked against the engine's state snapshot, the same on the simulator
 * and on the sandbox, so CI can replay every solution against it. zod's mini build, as the
 * state's schema is: an embed with a `goal` fetches it.
 */

const natural = z.int().check(z.nonnegative());
const nonEmpty = z.string().check(z.minLength(1));
const absolute = z.string().check(z.startsWith('/'));
const entryKind = z.enum(['file', 'dir', 'symlink', 'whiteout', 'opaque']);

/** An exact number, or a range; `{ min: 1 }` when left out. */
export const countSchema = z.union([natural, z.strictObject({ min: z.optional(natural), max: z.optional(natural) })]);
export type Count = z.infer<typeof countSchema>;

/** Which containers a goal talks about; every given field must match. */
const containerFilter = {
  /** The container's name, as `--name` gave it (Docker's leading `/` is ignored). */
  name: z.optional(nonEmpty),
  /** An image reference (`busybox`, `hello:1`, an ID prefix); `busybox` means `busybox:latest`. */
  image: z.optional(nonEmpty),
  status: z.optional(containerStatusSchema),
  exitCode: z.optional(z.int()),
  /** A substring of the container's command (`uname`). */
  command: z.optional(nonEmpty),
};

export const containersGoalSchema = z.strictObject({ kind: z.literal('containers'), ...containerFilter, count: z.optional(countSchema) });

export const containerStatusGoalSchema = z.strictObject({ kind: z.literal('containerStatus'), name: nonEmpty, status: containerStatusSchema });

/** An entry in a container's own layer (the upper dir), as opposed to its image. */
export const containerFileGoalSchema = z.strictObject({
  kind: z.literal('containerFile'),
  path: absolute,
  layer: z.literal('upper'),
  /** The container's name; any container when left out. */
  container: z.optional(nonEmpty),
  /** `whiteout` asks for a deletion of an image file; any other kind when left out. */
  entry: z.optional(entryKind),
});

/** A line of `docker diff`: A(dded), C(hanged) or D(eleted) against the image. */
export const containerChangeGoalSchema = z.strictObject({
  kind: z.literal('containerChange'),
  path: absolute,
  change: z.optional(z.enum(['A', 'C', 'D'])),
  container: z.optional(nonEmpty),
});

export const imageExistsGoalSchema = z.strictObject({ kind: z.literal('imageExists'), ref: nonEmpty });

/** How many filesystem layers an image has (RootFS.Layers). */
export const imageLayersGoalSchema = z.strictObject({ kind: z.literal('imageLayers'), ref: nonEmpty, count: countSchema });

/**
 * An entry stored in one of an image's layers (any of RootFS.Layers). A file a later
 * layer deletes still counts: it is still stored, under the whiteout that hides it.
 */
export const imageFileGoalSchema = z.strictObject({
  kind: z.literal('imageFile'),
  ref: nonEmpty,
  path: absolute,
  /** `whiteout` asks for a deletion; any other kind when left out. */
  entry: z.optional(entryKind),
});

/**
 * How many layers, from the base up, two images have in common (the same chainID):
 * what the store keeps once, and what a rebuild took from the build cache.
 */
export const sharedLayersGoalSchema = z.strictObject({ kind: z.literal('sharedLayers'), images: z.tuple([nonEmpty, nonEmpty]), count: countSchema });

/** A path in the build context, as the editor names its files (`Dockerfile`, `v1/app.txt`). */
export const contextPathSchema = z
  .string()
  .check(z.minLength(1), z.regex(/^(?!\/)(?!.*(^|\/)\.\.?(\/|$))/, 'a relative path inside the build context'));

/**
 * A file of the page's editor (the build context as the learner is writing it): it holds
 * `includes` and matches `matches` (a regular expression, `^`/`$` at line ends).
 */
export const fileContentGoalSchema = z
  .strictObject({
    kind: z.literal('fileContent'),
    path: contextPathSchema,
    includes: z.optional(nonEmpty),
    matches: z.optional(
      z.string().check(
        z.minLength(1),
        z.refine((source) => {
          try {
            new RegExp(source, 'm');
            return true;
          } catch {
            return false;
          }
        }, 'not a valid regular expression'),
      ),
    ),
  })
  .check(z.refine((goal) => goal.includes !== undefined || goal.matches !== undefined, 'give `includes`, `matches` or both'));

/**
 * A volume of the session (`docker volume ls`): by name, and held by a container of that
 * name when `usedBy` is given (`-v name:/path` on `run` or `create`).
 */
export const volumeGoalSchema = z.strictObject({ kind: z.literal('volume'), name: nonEmpty, usedBy: z.optional(nonEmpty) });

/**
 * A command the learner ran, with exit status 0, since the step became current: a step
 * whose point is in what an inspecting command prints (`docker diff`, `docker history`)
 * ends only once the learner has looked. `command` is its first words (`docker diff c1`
 * matches `docker diff c1` and `docker diff c1 --help` alike, not `docker diff c2`).
 */
export const ranGoalSchema = z.strictObject({
  kind: z.literal('ran'),
  command: z.string().check(z.trim(), z.regex(/^docker( \S+)+$/, 'a docker command, its words separated by one space')),
});

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

export const goalSchema: z.ZodMiniType<Goal> = z.lazy(() =>
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
    z.strictObject({ kind: z.literal('all'), goals: z.array(goalSchema).check(z.minLength(1)) }),
    z.strictObject({ kind: z.literal('any'), goals: z.array(goalSchema).check(z.minLength(1)) }),
    z.strictObject({ kind: z.literal('not'), goal: goalSchema }),
  ]),
);
