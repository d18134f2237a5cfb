import type { FastifyInstance } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import type { TerminalSize } from '../../src/engine/engine.js';
import { PushQueue, type QueuePolicy } from '../../src/engine/push-queue.js';
import { runSessionCommand } from '../sessions/session-command.js';
import { SessionError } from '../sessions/session-errors.js';
import { inSession } from '../sessions/session-scope.js';
import type { SessionRegistry } from '../sessions/session-registry.js';
import { diskFull } from './api-error.js';
import { sessionOf } from './session-auth.js';
import { WS_CLOSE_SESSION_ENDED, clientMessageSchema, type ServerMessage } from './ws-protocol.js';
import { z } from 'zod';

/** A command's stdin not yet read by its process: past 1 MiB the socket's input is refused (INPUT_REFUSED). */
const STDIN_POLICY: QueuePolicy<Uint8Array> = { keep: 'all', bound: { max: 1024 * 1024, size: (chunk) => chunk.byteLength } };

interface RunningCommand {
  interrupt: AbortController;
  stdin: PushQueue<Uint8Array> | undefined;
  sizes: PushQueue<TerminalSize> | undefined;
}

/**
 * `GET /api/sessions/:id/ws` — the learner's terminal: commands with streamed output,
 * stdin for `-it`, Ctrl-C, and every engine event as it happens.
 */
export async function wsRoutes(app: FastifyInstance, { registry }: { registry: SessionRegistry }): Promise<void> {
  app.get('/ws', { websocket: true }, (socket: WebSocket, request) => {
    const session = sessionOf(request);
    const log = request.log.child({ session: session.id });
    const running = new Map<string, RunningCommand>();
    const send = (message: ServerMessage) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
    };
    const fail = (code: string, message: string, id?: string) => send({ type: 'error', ...(id ? { id } : {}), error: { code, message } });

    const unsubscribe = session.subscribe((event) => send({ type: 'event', event }));
    const offClose = session.onClose(() => {
      // A failed session's terminal says why before it closes.
      if (session.failure !== undefined) fail('SESSION_FAILED', session.failure);
      socket.close(WS_CLOSE_SESSION_ENDED, 'session ended');
    });

    // A socket's handlers run in the socket's async context, not the session's: each is
    // put in the session's scope, and what it throws fails this session, not the server.
    socket.on('message', (data, isBinary) =>
      inSession(session, () => {
        try {
          onMessage(data, isBinary);
        } catch (error) {
          log.error({ err: error }, 'a terminal message failed');
          session.fail(error);
        }
      }),
    );

    const onMessage = (data: RawData, isBinary: boolean): void => {
      session.touch(registry.now());
      if (isBinary) return fail('INVALID_MESSAGE', 'send JSON text frames');
      let parsed: unknown;
      try {
        parsed = JSON.parse(data.toString());
      } catch {
        return fail('INVALID_MESSAGE', 'not JSON');
      }
      const result = clientMessageSchema.safeParse(parsed);
      if (!result.success) return fail('INVALID_MESSAGE', z.prettifyError(result.error));
      const message = result.data;
      switch (message.type) {
        case 'ping':
          return send({ type: 'pong' });
        case 'command': {
          if (running.has(message.id)) return fail('DUPLICATE_ID', `command ${message.id} is still running`, message.id);
          const command: RunningCommand = {
            interrupt: new AbortController(),
            stdin: message.interactive ? new PushQueue(STDIN_POLICY) : undefined,
            sizes: message.interactive ? new PushQueue<TerminalSize>({ keep: 'latest' }) : undefined,
          };
          running.set(message.id, command);
          runSessionCommand(
            session,
            message.command,
            {
              stdout: (data) => send({ type: 'stdout', id: message.id, data }),
              stderr: (data) => send({ type: 'stderr', id: message.id, data }),
              stdin: command.stdin,
              resize: command.sizes,
              signal: command.interrupt.signal,
              interactive: message.interactive ?? false,
            },
            registry.now,
          )
            .then((outcome) =>
              send({
                type: 'exit',
                id: message.id,
                exitCode: outcome.exitCode,
                ...(outcome.truncated ? { truncated: true as const } : {}),
                ...(outcome.timedOut ? { timedOut: true as const } : {}),
                ...(outcome.error ? { error: outcome.error } : {}),
              }),
            )
            .catch((error: unknown) => {
              if (error instanceof SessionError) return fail(error.code, error.message, message.id);
              const full = diskFull(error);
              if (full) return fail(full.code, full.message, message.id);
              log.error({ err: error }, 'command failed');
              fail('INTERNAL', `the sandbox server failed to run the command (request ${request.id})`, message.id);
            })
            .finally(() => {
              command.stdin?.end();
              command.sizes?.end();
              running.delete(message.id);
            });
          return;
        }
        case 'stdin': {
          const command = running.get(message.id);
          if (!command?.stdin) return fail('NO_SUCH_COMMAND', `no interactive command ${message.id} is running`, message.id);
          if (!command.stdin.push(Buffer.from(message.data, 'utf8'))) fail('INPUT_REFUSED', 'the command is not reading its input', message.id);
          return;
        }
        case 'stdin.end':
          return running.get(message.id)?.stdin?.end();
        case 'interrupt':
          return running.get(message.id)?.interrupt.abort(new Error('interrupted'));
        case 'resize': {
          const sizes = running.get(message.id)?.sizes;
          if (!sizes) return fail('NO_SUCH_COMMAND', `no interactive command ${message.id} is running`, message.id);
          sizes.push({ cols: message.cols, rows: message.rows });
          return;
        }
      }
    };

    socket.on('close', () => {
      unsubscribe();
      offClose();
      // A closed terminal is a hang-up: its foreground commands are interrupted.
      for (const command of running.values()) {
        command.stdin?.end();
        command.interrupt.abort(new Error('terminal closed'));
      }
    });
  });
}
