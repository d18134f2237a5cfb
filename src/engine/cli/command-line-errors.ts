import { EngineError } from '../errors.js';

/**
 * Why a `docker …` line was refused before any command ran. `render-error.ts` words each
 * as Docker 28's CLI (or, for what Layerlab does not do, plainly as `layerlab: …`).
 */
export abstract class CommandLineError extends EngineError {}

/** bash: `unexpected EOF while looking for matching `''`. */
export class UnterminatedQuote extends CommandLineError {
  readonly code = 'UNTERMINATED_QUOTE';
}
/** A NUL byte can not be in any argument of execve(2): no shell can pass one to `docker`. */
export class NulInCommandLine extends CommandLineError {
  readonly code = 'NUL_IN_COMMAND';
}
/** The line does not start with `docker`. */
export class NotADockerCommand extends CommandLineError {
  readonly code = 'NOT_DOCKER';
}
/** `docker --debug run …`: the daemon-wide options are not Layerlab's. */
export class UnsupportedGlobalOption extends CommandLineError {
  readonly code = 'UNSUPPORTED_GLOBAL_OPTION';
}
/** A command Docker has and Layerlab does not (yet): said plainly, never faked. */
export class UnsupportedCommand extends CommandLineError {
  readonly code = 'UNSUPPORTED_COMMAND';
}
/** Docker 28: `docker: unknown command: docker rnu`; `details.group` for `docker image nope`. */
export class UnknownCommand extends CommandLineError {
  readonly code = 'UNKNOWN_COMMAND';
}
/**
 * cobra's usage errors, printed with the command's usage line: a flag pflag refuses
 * (`UNKNOWN_FLAG`, `FLAG_NEEDS_ARGUMENT`, `INVALID_FLAG_VALUE`) or a wrong number of
 * arguments (`MISSING_ARGUMENT`, `TOO_MANY_ARGUMENTS`). `details.command` is the path.
 */
export class UsageError extends CommandLineError {
  constructor(
    readonly code: 'UNKNOWN_FLAG' | 'FLAG_NEEDS_ARGUMENT' | 'INVALID_FLAG_VALUE' | 'MISSING_ARGUMENT' | 'TOO_MANY_ARGUMENTS',
    message: string,
    readonly command: string,
    /** How Docker's cli/required.go words the closing hint (`See`, `Run`, `SRun`); flags' errors have none of their own. */
    readonly hint: 'See' | 'Run' | 'SRun' | 'flag',
  ) {
    super(message, { command });
  }
}
