import { z } from 'zod';
import type { CommandError } from '../../src/engine/engine.js';
import type { EngineEvent } from '../../src/engine/events.js';
import { MAX_COMMAND_LENGTH } from './commands.routes.js';

/**
 * The session WebSocket's messages, one JSON object per text frame. A client names each
 * command with its own `id`; output, input and the exit refer to it.
 */
const commandId = z.string().min(1).max(64);

/** One stdin message's data, in characters: a paste at most (a key is one or a few). */
export const MAX_STDIN_CHARS = 32 * 1024;
/** The largest message a client needs: a command or stdin whose every character is
 * JSON-escaped (`\uXXXX`, 6 bytes), and the envelope. The socket refuses bigger frames
 * before it holds them. */
export const MAX_CLIENT_MESSAGE_BYTES = 6 * Math.max(MAX_COMMAND_LENGTH, MAX_STDIN_CHARS) + 1024;
const terminalCells = z.number().int().min(1).max(1000);

export const clientMessageSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('command'),
      id: commandId,
      command: z.string().min(1).max(MAX_COMMAND_LENGTH).regex(/\S/),
      /** Attached to the learner's terminal (`docker run -it`): stdin is read from `stdin` messages. */
      interactive: z.boolean().optional(),
    })
    .strict(),
  z.object({ type: z.literal('stdin'), id: commandId, data: z.string().max(MAX_STDIN_CHARS) }).strict(),
  /** Ctrl-D: end of input. */
  z.object({ type: z.literal('stdin.end'), id: commandId }).strict(),
  /**
   * Ctrl-C: the CLI's SIGINT (sig-proxy, then the command ends). With a tty (`-t`) a
   * terminal sends the byte "\x03" as `stdin` instead, as Docker's CLI in raw mode does:
   * the container's pty makes it SIGINT for its foreground process, and the command goes on.
   */
  z.object({ type: z.literal('interrupt'), id: commandId }).strict(),
  /** The learner's terminal has this many columns and rows (at the start, and on every change): a `-t` process's pty follows. */
  z.object({ type: z.literal('resize'), id: commandId, cols: terminalCells, rows: terminalCells }).strict(),
  /** Keeps an idle session from expiring while the learner reads. */
  z.object({ type: z.literal('ping') }).strict(),
]);

export type ClientMessage = z.infer<typeof clientMessageSchema>;

export type ServerMessage =
  | { type: 'stdout' | 'stderr'; id: string; data: string }
  | { type: 'exit'; id: string; exitCode: number | null; truncated?: true; timedOut?: true; error?: CommandError }
  | { type: 'event'; event: EngineEvent }
  | { type: 'error'; id?: string; error: { code: string; message: string } }
  | { type: 'pong' };

/** WebSocket close codes (4000–4999 are the application's, RFC 6455 §7.4.2). */
export const WS_CLOSE_SESSION_ENDED = 4000;
