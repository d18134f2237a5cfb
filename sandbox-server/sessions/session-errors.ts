/**
 * Why the sandbox refused a request, with stable codes the API sends as
 * `{ "error": { "code", "message" } }` and the site explains in the learner's language.
 */
export abstract class SessionError extends Error {
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** No engine can be made here (not Linux, not root, no runtime): the site uses its simulator. */
export class SandboxUnavailable extends SessionError {
  readonly code = 'SANDBOX_UNAVAILABLE';
}
export class SessionLimitReached extends SessionError {
  readonly code = 'SESSION_LIMIT';
}
export class ContainerLimitReached extends SessionError {
  readonly code = 'CONTAINER_LIMIT';
}
export class SessionBusy extends SessionError {
  readonly code = 'SESSION_BUSY';
}
/** The session was deleted or expired while the request was in flight. */
export class SessionClosed extends SessionError {
  readonly code = 'SESSION_CLOSED';
}
