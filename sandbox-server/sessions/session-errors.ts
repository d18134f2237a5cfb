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
/** Every sandbox this server can hold is in use (capacity.ts): the site runs its simulator instead. */
export class ServerFull extends SessionError {
  readonly code = 'SERVER_FULL';
}
/** One client address holds as many live sessions as it may (LAYERLAB_SESSIONS_PER_ADDRESS). */
export class TooManySessions extends SessionError {
  readonly code = 'TOO_MANY_SESSIONS';
}
/** The session's work raised an error and the session was removed (Session.fail). */
export class SessionFailed extends SessionError {
  readonly code = 'SESSION_FAILED';
}
export class SessionBusy extends SessionError {
  readonly code = 'SESSION_BUSY';
}
/** The session was deleted or expired while the request was in flight. */
export class SessionClosed extends SessionError {
  readonly code = 'SESSION_CLOSED';
}
