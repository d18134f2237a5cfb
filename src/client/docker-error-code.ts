/**
 * The engine's error code (src/engine/**\/*-errors.ts, container.machine.ts) for a
 * Docker CLI error message. The HTTP API returns only Docker's text, and that text is
 * the same on both backends, so the terminal recognises it to explain the error in the
 * learner's language (`error.<CODE>` keys) beside Docker's own English.
 */
const PATTERNS: [RegExp, string][] = [
  // Docker: daemon/errors.go errNoSuchContainer
  [/No such container: /, 'NO_SUCH_CONTAINER'],
  [/Multiple IDs found with provided prefix/, 'AMBIGUOUS_CONTAINER'],
  [/Conflict\. The container name "[^"]*" is already in use/, 'CONTAINER_NAME_CONFLICT'],
  [/cannot remove container "[^"]*": container is running/, 'CONTAINER_RUNNING_REMOVE'],
  [/cannot remove container "[^"]*": container is paused/, 'CONTAINER_PAUSED_REMOVE'],
  [/Container \S+ is paused, unpause the container/, 'CONTAINER_PAUSED_EXEC'],
  [/container \S+ is not running/, 'CONTAINER_NOT_RUNNING'],
  // Docker: runc's exec error, surfaced as `failed to create task … exec: "x": executable file not found in $PATH`
  [/executable file not found in \$PATH|exec: "[^"]*": (stat [^:]*: )?no such file or directory/, 'CONTAINER_START_FAILED'],
  [/Unable to find image|No such image: |pull access denied for /, 'NO_SUCH_IMAGE'],
  [/invalid reference format/, 'INVALID_REFERENCE'],
  [/conflict: unable to (delete|remove)/, 'IMAGE_CONFLICT'],
  [/unknown (shorthand )?flag: /, 'UNKNOWN_FLAG'],
  // Docker 28: `docker: unknown command: docker foo`; older: `docker: 'foo' is not a docker command.`
  [/unknown command: docker |is not a docker command/, 'UNKNOWN_COMMAND'],
  [/"docker \S+" requires (at least|exactly) \d+ arguments?/, 'MISSING_ARGUMENT'],
];

export function dockerErrorCode(stderr: string): string | null {
  for (const [pattern, code] of PATTERNS) if (pattern.test(stderr)) return code;
  return null;
}
