import type { FastifyInstance } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import { z } from 'zod';
import { SESSION_ID_PATTERN } from '../sessions/session-secret.js';
import type { Workshops } from '../workshops/workshops.js';
import { WorkshopError } from '../workshops/workshop-errors.js';
import { MAX_COMMAND_LENGTH } from './commands.routes.js';
import { WS_CLOSE_UNAUTHORIZED, type WorkshopLive } from './workshop-live.js';

/** A socket that has not authenticated by then is closed (4401). */
export const WORKSHOP_AUTH_TIMEOUT_MS = 5_000;
/** A learner's engine state snapshot, as JSON text. */
export const MAX_LEARNER_STATE_BYTES = 256 * 1024;
/** One command's output a learner relays. */
export const MAX_LEARNER_OUTPUT_BYTES = 16 * 1024;
/** The largest learner message: a state at its cap and the envelope. The socket refuses bigger frames before holding them. */
export const MAX_LEARNER_MESSAGE_BYTES = MAX_LEARNER_STATE_BYTES + 1024;
/** A dashboard sends only auth and watch: anything longer is not one of them. */
const MAX_DASHBOARD_MESSAGE_BYTES = 4096;
/**
 * What a page sends right behind its auth, before the server has checked it — a dashboard
 * reconnecting while it watches sends its watch at once, a learner's page its state and output
 * as a command ends — is held and handled once the auth passes. A page sends a few; more is no page.
 */
export const MAX_HELD_MESSAGES = 8;

const token = z.string().min(1).max(256);
const dashboardMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auth'), secret: token }).strict(),
  z.object({ type: z.literal('watch'), learnerId: z.string().regex(SESSION_ID_PATTERN) }).strict(),
  z.object({ type: z.literal('unwatch') }).strict(),
]);
const learnerMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auth'), token }).strict(),
  z.object({ type: z.literal('state'), state: z.unknown() }).strict(),
  z
    .object({
      type: z.literal('output'),
      command: z.string().max(MAX_COMMAND_LENGTH),
      output: z.string().refine((o) => Buffer.byteLength(o) <= MAX_LEARNER_OUTPUT_BYTES, `output is at most ${MAX_LEARNER_OUTPUT_BYTES} bytes`),
      exitCode: z.number().int().min(0).max(255).nullable(),
    })
    .strict(),
]);

type DashboardMessage = z.infer<typeof dashboardMessage>;
type LearnerMessage = z.infer<typeof learnerMessage>;

const idParam = { type: 'string', pattern: SESSION_ID_PATTERN.source };

/**
 * The workshops' live sockets (the contract in README): `GET /api/workshops/:id/live` for the
 * dashboard (the secret as its first message — a browser sets no header on a socket, and a secret
 * never goes in a URL) and `GET /api/workshops/:id/learners/:learnerId/live` for a learner (their
 * resume token likewise). Neither says which part of the auth was wrong: both close 4401.
 */
export async function workshopSocketRoutes(app: FastifyInstance, { workshops, live }: { workshops: Workshops; live: WorkshopLive }): Promise<void> {
  app.get(
    '/workshops/:id/live',
    { websocket: true, schema: { params: { type: 'object', required: ['id'], properties: { id: idParam } } } },
    (socket: WebSocket, request) => {
      const { id } = request.params as { id: string };
      let dashboard: Awaited<ReturnType<WorkshopLive['addDashboard']>> | undefined;
      let authenticating = false;
      const held: DashboardMessage[] = [];
      const refuse = () => socket.close(WS_CLOSE_UNAUTHORIZED, 'unauthorized');
      const timer = setTimeout(() => dashboard === undefined && refuse(), WORKSHOP_AUTH_TIMEOUT_MS);
      const handle = (message: DashboardMessage) => {
        if (message.type === 'watch') live.watch(id, dashboard!, message.learnerId);
        else if (message.type === 'unwatch') live.watch(id, dashboard!, undefined);
      };
      socket.on('message', (data: RawData, isBinary: boolean) => {
        const message = parse(data, isBinary, MAX_DASHBOARD_MESSAGE_BYTES, dashboardMessage);
        if (!dashboard) {
          // Anything but one auth first is refused, and a second auth while the first is checked too; what else follows it waits.
          if (!message || (message.type === 'auth') === authenticating) return refuse();
          if (message.type !== 'auth') return hold(held, message, refuse);
          authenticating = true;
          // Taken before the secret is read: a revoke between the read and the add refuses this socket.
          const epoch = live.authEpoch(id);
          workshops.asInstructor(id, message.secret).then(
            async (workshop) => {
              clearTimeout(timer);
              if (socket.readyState !== socket.OPEN) return;
              dashboard = await live.addDashboard(workshop, socket, epoch);
              if (!dashboard) return;
              if (socket.readyState !== socket.OPEN) return live.removeDashboard(id, dashboard);
              for (const waiting of held.splice(0)) handle(waiting);
            },
            (error: unknown) => {
              if (!(error instanceof WorkshopError)) request.log.error({ err: error }, 'dashboard auth failed');
              refuse();
            },
          );
          return;
        }
        if (!message) return sendError(socket, 'INVALID_MESSAGE', 'send auth, watch or unwatch as JSON text');
        handle(message);
      });
      socket.on('close', () => {
        clearTimeout(timer);
        if (dashboard) live.removeDashboard(id, dashboard);
      });
    },
  );

  app.get(
    '/workshops/:id/learners/:learnerId/live',
    {
      websocket: true,
      schema: { params: { type: 'object', required: ['id', 'learnerId'], properties: { id: idParam, learnerId: idParam } } },
    },
    (socket: WebSocket, request) => {
      const { id, learnerId } = request.params as { id: string; learnerId: string };
      raiseMaxPayload(socket, MAX_LEARNER_MESSAGE_BYTES);
      let authed = false;
      let authenticating = false;
      const held: LearnerMessage[] = [];
      const refuse = () => socket.close(WS_CLOSE_UNAUTHORIZED, 'unauthorized');
      const timer = setTimeout(() => !authed && refuse(), WORKSHOP_AUTH_TIMEOUT_MS);
      const handle = (message: LearnerMessage | undefined) => {
        // Refused, not relayed: too large (the state's cap), not JSON, or not a state or an output.
        if (!message || message.type === 'auth')
          return sendError(
            socket,
            'MESSAGE_REFUSED',
            `send a state (at most ${MAX_LEARNER_STATE_BYTES} bytes) or an output (at most ${MAX_LEARNER_OUTPUT_BYTES} bytes)`,
          );
        if (message.type === 'state') {
          const state = JSON.stringify(message.state ?? null);
          if (Buffer.byteLength(state) > MAX_LEARNER_STATE_BYTES)
            return sendError(socket, 'MESSAGE_REFUSED', `a state is at most ${MAX_LEARNER_STATE_BYTES} bytes of JSON`);
          live.learnerState(id, learnerId, state);
        } else live.learnerOutput(id, learnerId, { command: message.command, output: message.output, exitCode: message.exitCode });
      };
      socket.on('message', (data: RawData, isBinary: boolean) => {
        const message = parse(data, isBinary, MAX_LEARNER_MESSAGE_BYTES, learnerMessage);
        if (!authed) {
          if (!message || (message.type === 'auth') === authenticating) return refuse();
          if (message.type !== 'auth') return hold(held, message, refuse);
          authenticating = true;
          workshops.hintsFor(id, learnerId, message.token).then(
            (hints) => {
              clearTimeout(timer);
              if (socket.readyState !== socket.OPEN) return;
              // The token was read before a delete that may have closed the room since: addLearner refuses then (4404).
              if (!live.addLearner(id, learnerId, socket)) return;
              authed = true;
              for (const hint of hints) socket.send(JSON.stringify({ type: 'hint', hint }));
              for (const waiting of held.splice(0)) handle(waiting);
            },
            (error: unknown) => {
              if (!(error instanceof WorkshopError)) request.log.error({ err: error }, 'learner auth failed');
              refuse();
            },
          );
          return;
        }
        handle(message);
      });
      socket.on('close', () => {
        clearTimeout(timer);
        if (authed) live.removeLearner(id, learnerId, socket);
      });
    },
  );
}

/** Holds a message that came behind the auth while it is checked; past `MAX_HELD_MESSAGES`, refuses the socket. */
function hold<T>(held: T[], message: T, refuse: () => void): void {
  if (held.length >= MAX_HELD_MESSAGES) return refuse();
  held.push(message);
}

/** One message as the schema has it, or undefined: binary, over `maxBytes` (checked before parsing), not JSON, not the schema's. */
function parse<T>(data: RawData, isBinary: boolean, maxBytes: number, schema: z.ZodType<T>): T | undefined {
  if (isBinary) return undefined;
  const bytes = Array.isArray(data) ? data.reduce((n, b) => n + b.byteLength, 0) : data.byteLength;
  if (bytes > maxBytes) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse((Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data)).toString());
  } catch {
    return undefined;
  }
  const result = schema.safeParse(parsed);
  return result.success ? result.data : undefined;
}

/**
 * The server's one `maxPayload` is the terminal socket's (`MAX_CLIENT_MESSAGE_BYTES`, ~193 KiB); a
 * learner's state may be 256 KiB, so this socket's receiver takes up to `bytes` — still refused
 * frame by frame past it (1009) before it is held. ws keeps the limit in its receiver, read on each
 * frame; the version is pinned and `api-workshop-live.test.ts` relays a state between the two caps.
 */
function raiseMaxPayload(socket: WebSocket, bytes: number): void {
  const receiver = (socket as unknown as { _receiver?: { _maxPayload?: number } })._receiver;
  if (receiver?._maxPayload === undefined)
    throw new Error('ws no longer keeps _receiver._maxPayload: the learner socket cannot take a 256 KiB state');
  receiver._maxPayload = Math.max(receiver._maxPayload, bytes);
}

function sendError(socket: WebSocket, code: string, message: string): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ type: 'error', error: { code, message } }));
}
