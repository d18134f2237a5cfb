import type { Drivers, ExecOptions } from '../engine.js';
import type { EngineEvent } from '../events.js';
import type { EngineError } from '../errors.js';
import type { ContainerManager } from '../containers/container-manager.js';
import type { ImageStore } from '../images/image-store.js';
import type { BuildsInProgress } from '../builder/builds-in-progress.js';
import type { ParsedArgs } from './flags.js';
import type { CommandSpec } from './parse-command.js';
import type { EngineLimits } from '../limits.js';

export { HELP_FLAG, type ArgRule } from './parse-command.js';

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
  /** Records the typed error the command failed with (the first one counts): the result carries its code. */
  fail(error: EngineError): void;
  opts: ExecOptions;
  /** The command path as typed (`container ls` for `ps`): Docker's messages use it. */
  invokedAs: string;
}

export interface Command extends CommandSpec {
  /** The engine's limit the command counts against: `container` makes one (`run`, `create`), `build` is one. */
  limit?: 'container' | 'build';
  run(ctx: CommandContext, parsed: ParsedArgs): Promise<number>;
}
