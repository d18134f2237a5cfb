import type { Drivers, ExecOptions } from '../engine.js';
import type { EngineEvent } from '../events.js';
import type { ContainerManager } from '../containers/container-manager.js';
import type { ImageStore } from '../images/image-store.js';
import type { BuildsInProgress } from '../builder/builds-in-progress.js';
import type { FlagSpec, ParsedArgs } from './flags.js';
import type { EngineLimits } from '../limits.js';

/** What a command works with: the engine's stores, drivers and output. */
export interface CommandContext {
  drivers: Drivers;
  images: ImageStore;
  containers: ContainerManager;
  /** Builds running now, as far as their steps have got: the state snapshot shows them. */
  builds: BuildsInProgress;
  limits: Required<EngineLimits>;
  emit(event: EngineEvent): void;
  out(text: string): void;
  err(text: string): void;
  opts: ExecOptions;
  /** The command path as typed (`container ls` for `ps`): Docker's messages use it. */
  invokedAs: string;
}

/** cobra's positional-argument rules, each with Docker's message. */
export type ArgRule =
  | { kind: 'none' }
  | { kind: 'exact'; n: number }
  | { kind: 'min'; n: number }
  | { kind: 'max'; n: number }
  | { kind: 'range'; min: number; max: number };

export interface Command {
  /** `run`, `system df`, `image inspect`. */
  path: string;
  /** Other paths that run it (`container run`, `image ls`). */
  aliases?: string[];
  args: ArgRule;
  flags: FlagSpec[];
  /** false for commands whose arguments are a command line (`run`, `exec`). */
  interspersed?: boolean;
  run(ctx: CommandContext, parsed: ParsedArgs): Promise<number>;
}

/** Docker's `--help` flag is on every command. */
export const HELP_FLAG: FlagSpec = { long: 'help', type: 'bool' };
