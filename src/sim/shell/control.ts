/** What unwinds the interpreter past the commands it is running: thrown, caught where the shell grammar says. */

/** `exit`, or a fatal error of a non-interactive shell. */
export class ExitShell {
  constructor(readonly code: number) {}
}

/** `break N` / `continue N`: each enclosing loop takes one off `n` until it reaches its loop. */
export class LoopControl {
  constructor(
    readonly kind: 'break' | 'continue',
    public n: number,
  ) {}
}

/** `return`: ends the function being called. */
export class ReturnFromFunction {
  constructor(readonly code: number) {}
}

/** A shell error that is not a syntax error (`sh: x: parameter not set`): status 2, exits a non-interactive shell. */
export class ShellError extends Error {}
