import type { FastifyInstance } from 'fastify';
import { runSessionCommand } from '../sessions/session-command.js';
import type { SessionRegistry } from '../sessions/session-registry.js';
import { errorBody } from './api-error.js';
import { sessionOf } from './session-auth.js';

export const MAX_COMMAND_LENGTH = 8192;
/** The largest body a command can come in: every character JSON-escaped (`\uXXXX`, 6
 * bytes), and the envelope. Anything bigger is refused (413) before it is read whole. */
export const MAX_COMMAND_BODY_BYTES = 6 * MAX_COMMAND_LENGTH + 1024;

const commandBody = {
  type: 'object',
  required: ['command'],
  additionalProperties: false,
  properties: { command: { type: 'string', minLength: 1, maxLength: MAX_COMMAND_LENGTH, pattern: '\\S' } },
} as const;

const commandResult = {
  type: 'object',
  required: ['stdout', 'stderr', 'exitCode'],
  properties: {
    stdout: { type: 'string' },
    stderr: { type: 'string' },
    exitCode: { type: 'integer' },
    truncated: { type: 'boolean' },
    /** The engine's typed error: a stable code the page explains, and its values. */
    error: {
      type: 'object',
      required: ['code', 'details'],
      properties: { code: { type: 'string' }, details: { type: 'object', additionalProperties: { type: ['string', 'number'] } } },
    },
  },
} as const;

/** `POST /api/sessions/:id/commands` — one `docker …` line, answered when it ends. */
export async function commandRoutes(app: FastifyInstance, { registry }: { registry: SessionRegistry }): Promise<void> {
  app.post<{ Body: { command: string } }>(
    '/commands',
    { bodyLimit: MAX_COMMAND_BODY_BYTES, schema: { body: commandBody, response: { 200: commandResult } } },
    async (request, reply) => {
      const session = sessionOf(request);
      const outcome = await runSessionCommand(session, request.body.command, {}, registry.now);
      if (outcome.timedOut) {
        const seconds = Math.round(session.limits.commandTimeoutMs / 1000);
        // The output so far still helps the learner see what the command was doing.
        return reply.code(504).send({
          ...errorBody(
            'COMMAND_TIMEOUT',
            `the command ran longer than ${seconds}s and was stopped; run long-lived containers with \`docker run -d\``,
          ),
          stdout: outcome.stdout,
          stderr: outcome.stderr,
        });
      }
      if (outcome.exitCode === null) {
        return reply.code(504).send({
          ...errorBody('COMMAND_TIMEOUT', 'the command did not stop after it was interrupted'),
          stdout: outcome.stdout,
          stderr: outcome.stderr,
        });
      }
      return {
        stdout: outcome.stdout,
        stderr: outcome.stderr,
        exitCode: outcome.exitCode,
        ...(outcome.truncated ? { truncated: true } : {}),
        ...(outcome.error ? { error: outcome.error } : {}),
      };
    },
  );
}
