import { EngineError } from '../errors.js';

/** Docker: `No such container: web`. */
export class NoSuchContainer extends EngineError {
  readonly code = 'NO_SUCH_CONTAINER';
}
/** Docker: `Conflict. The container name "/web" is already in use by container "…"`. */
export class ContainerNameConflict extends EngineError {
  readonly code = 'CONTAINER_NAME_CONFLICT';
}
/** Docker: `Multiple IDs found with provided prefix: a`. */
export class AmbiguousContainer extends EngineError {
  readonly code = 'AMBIGUOUS_CONTAINER';
}
/** An invalid lifecycle transition; `code` is the machine's (`CONTAINER_NOT_RUNNING` …). */
export class ContainerStateError extends EngineError {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
/** The container's process could not be started (OCI runtime create/start failed). */
export class ContainerStartFailed extends EngineError {
  readonly code = 'CONTAINER_START_FAILED';
  constructor(
    message: string,
    /** What `docker run` exits with: 127 not found, 126 not executable. */
    readonly exitCode: number,
  ) {
    super(message, { exitCode });
  }
}
/** Docker: `no command specified`. */
export class NoCommandSpecified extends EngineError {
  readonly code = 'NO_COMMAND_SPECIFIED';
}
/** A resource limit Docker's daemon refuses: `Minimum memory limit allowed is 6MB`, a negative `--cpus`. */
export class InvalidResourceLimit extends EngineError {
  readonly code = 'INVALID_RESOURCE_LIMIT';
}
/** `-m`, `--pids-limit` or `--cpus` above the session's ceiling (an unlimited PIDs limit included). */
export class ResourceLimitAboveCeiling extends EngineError {
  readonly code = 'RESOURCE_LIMIT_ABOVE_CEILING';
}
