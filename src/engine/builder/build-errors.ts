import { EngineError } from '../errors.js';

/** A build that cannot go on; `message` is the reason as Docker words it. */
export class BuildError extends EngineError {
  readonly code: string = 'BUILD_FAILED';
}

/** Docker: `dockerfile parse error on line 3: unknown instruction: FOO`. The column
 * (1-based) is ours, for the editor to point at. */
export class DockerfileParseError extends BuildError {
  override readonly code = 'DOCKERFILE_PARSE';
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`dockerfile parse error on line ${line}: ${reason}`, { line, column, reason });
  }
}

/** A RUN whose process exited non-zero. `command` is the process as Docker quotes it:
 * `/bin/sh -c exit 3` for the shell form, `[exit 3]`-style JSON for the exec form. */
export class RunStepFailed extends BuildError {
  override readonly code = 'BUILD_RUN_FAILED';
  constructor(
    readonly command: string,
    readonly exitCode: number,
  ) {
    super(`process "${command}" did not complete successfully: exit code: ${exitCode}`, { command, exitCode });
  }
}

/** COPY/ADD of a path that is not in the context (missing, excluded by .dockerignore,
 * or outside it). `path` is the source as the Dockerfile wrote it. */
export class SourceNotFound extends BuildError {
  override readonly code = 'BUILD_SOURCE_NOT_FOUND';
  constructor(
    readonly path: string,
    readonly outside: boolean,
  ) {
    super(outside ? `forbidden path outside the build context: ${path} ()` : `"/${path.replace(/^\/+/, '')}": not found`, { path });
  }
}

/** `--target` naming no stage. */
export class TargetNotFound extends BuildError {
  override readonly code = 'BUILD_TARGET_NOT_FOUND';
}

/** BuildKit's `load metadata for …` of a FROM image failed: not in the store, and the registry
 * does not have it or cannot be reached. `message` is BuildKit's whole reason (`<FROM as
 * written>: failed to resolve source metadata for <full ref>: <why>`); `reason` the vertex's. */
export class BaseImageUnresolved extends BuildError {
  override readonly code = 'BUILD_BASE_UNRESOLVED';
  constructor(
    readonly written: string,
    readonly fullRef: string,
    readonly reason: string,
  ) {
    super(`${written}: failed to resolve source metadata for ${fullRef}: ${reason}`, { ref: fullRef, reason });
  }
}
