import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { SessionError } from '../sessions/session-errors.js';
import { WorkshopError, type WorkshopErrorCode } from '../workshops/workshop-errors.js';

/** A refusal the API answers with `{ "error": { "code", "message" } }` and this status. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ErrorBody {
  error: { code: string; message: string };
}

export function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } };
}

/** The one answer for an unknown session, another learner's session, and a wrong token. */
export const noSuchSession = () => new ApiError(404, 'NO_SUCH_SESSION', 'no such session (it may have expired)');

const SESSION_STATUS: Record<string, number> = {
  // 503 is the site's signal to fall back to its in-browser simulator.
  SANDBOX_UNAVAILABLE: 503,
  SERVER_FULL: 503,
  TOO_MANY_SESSIONS: 429,
  // Gone for good: the learner reloads to get a new session.
  SESSION_FAILED: 410,
  SESSION_BUSY: 429,
  SESSION_CLOSED: 404,
};

const WORKSHOP_STATUS: Record<WorkshopErrorCode, number> = {
  NO_SUCH_WORKSHOP: 404,
  // One answer for an unknown learner and a wrong resume token, as for sessions.
  NO_SUCH_LEARNER: 404,
  WRONG_SECRET: 403,
  WORKSHOP_FULL: 409,
  JOINING_PAUSED: 409,
  WORKSHOP_CLOSED: 410,
  INVALID_DISPLAY_NAME: 400,
  INVALID_WORKSHOP: 400,
  INVALID_PROGRESS: 400,
  PROGRESS_LIMIT: 409,
  INVALID_HINT: 400,
  HINT_LIMIT: 409,
};

/** Fastify's own 4xx errors, by code, as stable API codes. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'INVALID_REQUEST',
};

/**
 * Every error under /api becomes a JSON body with a stable code; nothing a client sends
 * can produce a stack trace or an HTML page. Unexpected errors are logged with the
 * request id, which the answer names so a learner can quote it.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | ApiError | SessionError | WorkshopError, request, reply) => {
    if (error instanceof ApiError) return send(reply, error.statusCode, error.code, error.message, error.headers);
    if (error instanceof WorkshopError) return send(reply, WORKSHOP_STATUS[error.code], error.code, error.message);
    if (error instanceof SessionError) return send(reply, SESSION_STATUS[error.code] ?? 409, error.code, error.message);
    if ('validation' in error && error.validation) {
      return send(reply, 400, 'INVALID_REQUEST', error.message);
    }
    const full = diskFull(error);
    if (full) return send(reply, full.statusCode, full.code, full.message);
    const status = 'statusCode' in error ? (error.statusCode ?? 500) : 500;
    if (status >= 400 && status < 500) {
      const code = FASTIFY_CODES[error.code] ?? (status === 413 ? 'PAYLOAD_TOO_LARGE' : 'INVALID_REQUEST');
      return send(reply, status, code, error.message);
    }
    request.log.error({ err: error }, 'request failed');
    return send(reply, 500, 'INTERNAL', `the sandbox server failed to answer (request ${request.id})`);
  });
}

/**
 * ENOSPC or EDQUOT from whatever wrote (a layer, a blob, a commit): a session's disk is its
 * tmpfs, so full is the learner's quota — 507 with what to do, not a server fault.
 */
export function diskFull(error: unknown): ApiError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (code !== 'ENOSPC' && code !== 'EDQUOT') return undefined;
  return new ApiError(507, 'QUOTA_EXCEEDED', 'the session has used all of its disk space; remove images or containers');
}

function send(reply: FastifyReply, status: number, code: string, message: string, headers: Record<string, string> = {}): FastifyReply {
  return reply.code(status).headers(headers).type('application/json; charset=utf-8').send(errorBody(code, message));
}
