import type { Digest } from '../../digest.js';
import type { ContainerConfig } from '../../images/image-config.js';
import type { Change } from '../../layer/change.js';
import type { BuilderMode } from '../created-by.js';
import type { CommandForm, Instruction } from '../instruction.js';
import type { RootfsView } from '../rootfs-view.js';
import type { Vars } from '../shell-lex.js';
import type { StageState } from '../stage-state.js';

/** Every instruction after FROM: what a step module plans. */
export type StepInstruction = Exclude<Instruction, { kind: 'FROM' }>;
export type StepKind = StepInstruction['kind'];

/** What a step reads of the build: the stage so far, the build's arguments and its filesystems. */
export interface StepContext {
  /** The stage before this step (read-only: the step says what changes in its plan). */
  readonly state: Readonly<StageState>;
  readonly mode: BuilderMode;
  /** The `# escape=` character. */
  readonly escape: string;
  /** `--build-arg` values. */
  readonly buildArgs: Readonly<Record<string, string>>;
  /** An ARG declared before the first FROM, with its value. */
  metaArg(name: string): string | undefined;
  /** Variables for expansion: `args` (default the stage's ARGs), overridden by the stage's ENV (Docker: ENV wins). */
  vars(args?: ReadonlyMap<string, string | undefined>): Vars;
  /** One word expanded with `vars()`. */
  word(raw: string): string;
  /** A line expanded with `vars()` and split into words. */
  words(raw: string): string[];
  /** The build context's files. */
  readonly context: RootfsView;
  /** The rootfs of a layer chain (the stage's own: `state.chain`). */
  view(chain: readonly Digest[]): Promise<RootfsView>;
  /** COPY --from: a stage's rootfs by name or number, else an image's. */
  fromView(ref: string): Promise<RootfsView>;
  /** What an ADD of a compressed archive may unpack to. */
  unpackBytes: number;
}

/** A RUN step's process: the stage's config as the container's, before the daemon's additions. */
export interface StepProcess {
  args: string[];
  /** The container's Env: the stage's ENV with the ARGs it does not set. */
  env: string[];
  cwd: string;
  user: string;
}

/** The layer a step makes, as data; the builder makes it only on a cache miss. */
export type LayerRecipe =
  /** COPY/ADD: entries already computed (their digest is the cache input). */
  | { kind: 'changes'; changes: Change[] }
  /** WORKDIR: the directory and its parents, those the stage does not have yet. */
  | { kind: 'mkdir'; path: string }
  /** RUN: what a process leaves in a container's upper layer on the stage's snapshot. */
  | { kind: 'run'; process: StepProcess };

/** What one instruction does, as data: the builder's loop applies it, keys the cache with it and makes its layer. */
export interface StepPlan {
  /** The instruction with its values expanded, as `created_by` is made from it. */
  text: string;
  /** RUN: the stage's ARGs in force, which `created_by` prefixes (`|1 A=b`). */
  runArgs?: string[];
  /** What the step's cache key hashes after its parent's; absent: the `created_by` text. */
  cacheInput?: unknown;
  /** Image config fields the step sets, merged over the stage's in this order. */
  config?: Partial<ContainerConfig>;
  /** Stage state that is not the image config's. */
  stage?: Partial<Pick<StageState, 'shell' | 'args' | 'cmdSet'>>;
  layer?: LayerRecipe;
}

/** One instruction's semantics (src/engine/cli/commands' one-file-per-command, for the builder). */
export interface InstructionStep<K extends StepKind = StepKind> {
  plan(ins: StepInstruction & { kind: K }, ctx: StepContext): StepPlan | Promise<StepPlan>;
}

/** RUN, CMD, ENTRYPOINT: the exec form as written; the shell form run by the stage's SHELL. */
export function commandArgv(ins: CommandForm, shell: readonly string[]): string[] {
  return ins.form === 'exec' ? ins.args : [...shell, ins.command];
}
