import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SessionRegistry } from '../sessions/session-registry.js';
import { SessionError } from '../sessions/session-errors.js';
import { SESSION_ID_PATTERN } from '../sessions/session-secret.js';
import type { WorkshopLimits } from '../workshops/workshop-limits.js';
import { MAX_HINT_CHARS, type Workshops } from '../workshops/workshops.js';
import { exportRow, toCsv } from '../workshops/workshop-export.js';
import { WorkshopError } from '../workshops/workshop-errors.js';
import type { StuckSettings } from '../workshops/stuck.js';
import { learnerSessionLimits } from '../workshops/learner-session-limits.js';
import type { Learner, Workshop } from '../workshops/workshop-types.js';
import { ApiError } from './api-error.js';
import { WorkshopLive, learnerView } from './workshop-live.js';
import { workshopSocketRoutes } from './workshop-sockets.routes.js';
import { bearerToken } from './bearer-token.js';
import { RateLimiter } from './rate-limit.js';

/** The instructor's secret travels in this header (never a URL: URLs end up in logs); the logger redacts it. */
export const INSTRUCTOR_SECRET_HEADER = 'x-instructor-secret';

const LOCALES = ['ko', 'en'] as const;
const idParam = { type: 'string', pattern: SESSION_ID_PATTERN.source };
const lessonSlug = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,63}$' };
// Numbers only here: which are whole and their ranges are checked with the setting's name in the refusal (`stuck-settings.ts`).
const stuckSettings = {
  type: 'object',
  additionalProperties: false,
  properties: { slowFactor: { type: 'number' }, slowFloorMs: { type: 'number' }, failingCommands: { type: 'number' } },
};

/** The sandbox registry's class namespaces (registry-host.ts `RegistryHost`), when it runs. */
export interface ClassNamespaces {
  /** What the workshop's learners shared, gone from the registry's storage. */
  removeWorkshop(workshopId: string): Promise<unknown>;
}

/** A learner's sandbox as the join and resume answer it: a session like `POST /api/sessions`'s, or why the simulator runs instead. */
type LearnerSandbox = { session: { id: string; token: string; idleTimeoutMs: number }; simulator: null } | { session: null; simulator: string };

/**
 * Workshops (issue 14) under `/api/workshops`: an instructor creates one and reads the class
 * with the secret in `X-Instructor-Secret`; a learner joins by code and name, then resumes and
 * reports progress with the resume token as a bearer token. Refusals are `WorkshopError`s.
 */
export async function workshopRoutes(
  app: FastifyInstance,
  {
    workshops,
    registry,
    limits,
    classNamespaces,
  }: { workshops: Workshops; registry: SessionRegistry; limits: WorkshopLimits; classNamespaces?: () => ClassNamespaces | undefined },
): Promise<void> {
  const creates = new RateLimiter(limits.createBurst, limits.createsPerMinute, registry.now);
  const joins = new RateLimiter(limits.joinBurst, limits.joinsPerMinute, registry.now);
  // Each learner's live sandbox session, so a resume replaces it instead of leaving one per reload. Memory only: sessions do not outlive the server.
  const sessionOfLearner = new Map<string, string>();
  // The address each learner's page last came from: a reset the instructor asks for counts against the learner's address, not theirs.
  const addressOfLearner = new Map<string, string>();
  const limited = (limiter: RateLimiter, what: string) => async (request: FastifyRequest) => {
    const retryAfter = limiter.take(request.ip);
    if (retryAfter > 0)
      throw new ApiError(429, 'RATE_LIMITED', `too many ${what} from this address; try again in ${retryAfter}s`, {
        'retry-after': String(retryAfter),
      });
  };
  const live = new WorkshopLive({
    workshops,
    hasSandbox: (learnerId) => sessionOfLearner.has(learnerId),
    now: registry.now,
    log: app.log,
  });
  await app.register(workshopSocketRoutes, { workshops, live });
  const secretOf = (request: FastifyRequest) => {
    const value = request.headers[INSTRUCTOR_SECRET_HEADER];
    return typeof value === 'string' ? value : undefined;
  };

  async function sandboxFor(workshop: Workshop, learner: Pick<Learner, 'id' | 'handle'>, address: string): Promise<LearnerSandbox> {
    const learnerId = learner.id;
    addressOfLearner.set(learnerId, address);
    const previous = sessionOfLearner.get(learnerId);
    sessionOfLearner.delete(learnerId);
    if (previous) await registry.remove(previous);
    if (!registry.available) return { session: null, simulator: 'SANDBOX_UNAVAILABLE' };
    try {
      // What the instructor asked for each learner, within the server's limits.
      // The class namespace is asked whether it is open on every request, so the instructor's switch reaches running sandboxes.
      const seat = { workshopId: workshop.id, handle: learner.handle, sharedOpen: () => workshops.sharedRegistryOpen(workshop.id) };
      const { session, token } = await registry.create(address, learnerSessionLimits(registry.limits, workshop.learnerLimits), seat);
      sessionOfLearner.set(learnerId, session.id);
      return { session: { id: session.id, token, idleTimeoutMs: registry.limits.idleTimeoutMs }, simulator: null };
    } catch (error) {
      // No room (the server's, or this address's): the learner runs the in-browser simulator, and the class says so.
      if (error instanceof SessionError) return { session: null, simulator: error.code };
      throw error;
    }
  }

  app.post(
    '/workshops',
    {
      onRequest: limited(creates, 'new workshops'),
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['title', 'lessons'],
          properties: {
            title: { type: 'string', maxLength: 200 },
            lessons: { type: 'array', minItems: 1, maxItems: 100, items: lessonSlug },
            maxLearners: { type: 'integer', minimum: 1 },
            learnerLimits: {
              type: 'object',
              additionalProperties: false,
              properties: { memoryBytes: { type: 'integer', minimum: 1 }, diskBytes: { type: 'integer', minimum: 1 } },
            },
            stuckSettings,
            sharedRegistry: { type: 'boolean' },
            locale: { enum: LOCALES },
          },
        },
      },
    },
    async (request, reply) => {
      const { locale = 'en', ...input } = request.body as Parameters<Workshops['create']>[0] & { locale?: (typeof LOCALES)[number] };
      const { workshop, instructorSecret } = await workshops.create(input);
      request.log.info({ workshop: workshop.id }, 'workshop created');
      // Fragments, not queries: the browser never sends them, so neither the code nor the secret reaches a log.
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .send({
          workshop,
          instructorSecret,
          joinLink: `/${locale}/workshop/#join=${workshop.joinCode}`,
          instructorLink: `/${locale}/workshop/dashboard/#workshop=${workshop.id}&secret=${instructorSecret}`,
        });
    },
  );

  // How many real sandboxes this server holds, for the create page (no secret: it says nothing of anyone's workshop).
  app.get('/workshops/capacity', async (_request, reply) => {
    const max = registry.available ? registry.limits.maxSessions : 0;
    const inUse = registry.available ? registry.size : 0;
    return reply
      .header('cache-control', 'no-store')
      .send({ available: registry.available, sandboxes: { max, inUse, free: Math.max(0, max - inUse) } });
  });

  app.post(
    '/workshops/join',
    {
      onRequest: limited(joins, 'joins'),
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['code', 'displayName'],
          properties: { code: { type: 'string', maxLength: 32 }, displayName: { type: 'string', maxLength: 256 } },
        },
      },
    },
    async (request, reply) => {
      const { code, displayName } = request.body as { code: string; displayName: string };
      const { workshop, learner, resumeToken } = await workshops.join(code, displayName);
      // The learner's id, never their name: a name is theirs, and untrusted in a log viewer.
      request.log.info({ workshop: workshop.id, learner: learner.id }, 'learner joined');
      const sandbox = await sandboxFor(workshop, learner, request.ip);
      live.joined(workshop.id, learner);
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .send({ workshop: learnerView(workshop), learner, resumeToken, ...sandbox });
    },
  );

  const learnerParams = { type: 'object', required: ['id', 'learnerId'], properties: { id: idParam, learnerId: idParam } };

  app.post('/workshops/:id/learners/:learnerId/resume', { schema: { params: learnerParams } }, async (request, reply) => {
    const { id, learnerId } = request.params as { id: string; learnerId: string };
    const { workshop, learner } = await workshops.asLearner(id, learnerId, bearerToken(request));
    const sandbox = await sandboxFor(workshop, learner, request.ip);
    live.sandboxChanged(id, learner.id);
    return reply.header('cache-control', 'no-store').send({ workshop: learnerView(workshop), learner, ...sandbox });
  });

  app.post(
    '/workshops/:id/learners/:learnerId/progress',
    {
      schema: {
        params: learnerParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['lesson', 'step'],
          properties: {
            lesson: lessonSlug,
            step: { type: 'integer' },
            command: { type: ['string', 'null'], maxLength: 8192 },
            exitCode: { type: ['integer', 'null'] },
          },
        },
      },
    },
    async (request) => {
      const { id, learnerId } = request.params as { id: string; learnerId: string };
      const position = await workshops.report(id, learnerId, bearerToken(request), request.body as Parameters<Workshops['report']>[3]);
      live.moved(id, learnerId, position);
      return { position };
    },
  );

  const workshopParams = { type: 'object', required: ['id'], properties: { id: idParam } };

  app.get('/workshops/:id/class', { schema: { params: workshopParams } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const { workshop, learners } = await workshops.classOf(id, secretOf(request));
    return reply.header('cache-control', 'no-store').send({
      workshop,
      // Live, not stored: whether each learner's page has a real sandbox now (none after a restart until they resume).
      learners: learners.map((l) => ({ ...l, sandbox: sessionOfLearner.has(l.id) })),
    });
  });

  app.get('/workshops/:id/learners/:learnerId/progress', { schema: { params: learnerParams } }, async (request, reply) => {
    const { id, learnerId } = request.params as { id: string; learnerId: string };
    return reply.header('cache-control', 'no-store').send({ events: await workshops.progressOf(id, secretOf(request), learnerId) });
  });

  app.patch(
    '/workshops/:id',
    {
      schema: {
        params: workshopParams,
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: { joinPaused: { type: 'boolean' }, closed: { const: true }, stuckSettings, sharedRegistry: { type: 'boolean' } },
        },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const { joinPaused, closed, stuckSettings, sharedRegistry } = request.body as {
        joinPaused?: boolean;
        closed?: true;
        stuckSettings?: Partial<StuckSettings>;
        sharedRegistry?: boolean;
      };
      const secret = secretOf(request);
      let workshop = await workshops.asInstructor(id, secret);
      // First: settings it refuses leave the rest of the change undone.
      if (stuckSettings !== undefined) workshop = await workshops.setStuckSettings(id, secret, stuckSettings);
      if (joinPaused !== undefined) workshop = await workshops.setJoinPaused(id, secret, joinPaused);
      if (sharedRegistry !== undefined) {
        workshop = await workshops.setSharedRegistry(id, secret, sharedRegistry);
        request.log.info({ workshop: id, open: sharedRegistry }, 'class namespace of the registry switched');
      }
      if (closed) workshop = await workshops.close(id, secret);
      live.workshopChanged(workshop);
      return { workshop };
    },
  );

  app.post(
    '/workshops/:id/hints',
    {
      schema: {
        params: workshopParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['text'],
          // UTF-16 units here, a bound before anything is held; code points are counted in `sendHint`.
          properties: { text: { type: 'string', minLength: 1, maxLength: 2 * MAX_HINT_CHARS }, learnerId: idParam },
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const { text, learnerId } = request.body as { text: string; learnerId?: string };
      const { learnerId: to, ...hint } = await workshops.sendHint(id, secretOf(request), text, learnerId);
      live.hint(id, to, hint);
      request.log.info({ workshop: id, learner: to ?? 'all' }, 'hint sent');
      return reply.code(201).send({ hint });
    },
  );

  app.post('/workshops/:id/learners/:learnerId/reset', { schema: { params: learnerParams } }, async (request) => {
    const { id, learnerId } = request.params as { id: string; learnerId: string };
    const workshop = await workshops.asInstructor(id, secretOf(request));
    const learner = await workshops.store.learner(id, learnerId);
    if (!learner) throw new WorkshopError('NO_SUCH_LEARNER', 'no such learner in this workshop');
    // Progress stays; the sandbox is new. The learner's page gets it over its live socket.
    const sandbox = await sandboxFor(workshop, learner, addressOfLearner.get(learnerId) ?? request.ip);
    live.reset(id, learnerId, sandbox);
    request.log.info({ workshop: id, learner: learnerId }, 'learner sandbox reset');
    return { sandbox: sandbox.session ? 'session' : 'simulator' };
  });

  app.get(
    '/workshops/:id/export',
    {
      schema: {
        params: workshopParams,
        querystring: { type: 'object', additionalProperties: false, properties: { format: { enum: ['csv', 'json'] } } },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const { format = 'csv' } = request.query as { format?: 'csv' | 'json' };
      const { workshop, learners } = await workshops.classWithEvents(id, secretOf(request));
      const rows = learners.map(({ learner, events }) => exportRow(learner, events, sessionOfLearner.has(learner.id)));
      reply.header('cache-control', 'no-store').header('content-disposition', `attachment; filename="workshop-${id}.${format}"`);
      if (format === 'json') {
        return reply.type('application/json; charset=utf-8').send({
          workshop: { id: workshop.id, title: workshop.title, lessons: workshop.lessons, stuckSettings: workshop.stuckSettings },
          learners: rows,
        });
      }
      // The BOM tells a spreadsheet it is UTF-8: without it Excel shows Korean names as mojibake.
      return reply.type('text/csv; charset=utf-8; header=present').send(`\ufeff${toCsv(rows)}`);
    },
  );

  app.post('/workshops/:id/secret', { schema: { params: workshopParams } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const instructorSecret = await workshops.rotateSecret(id, secretOf(request));
    // Before the new secret is answered, so no dashboard opened with it can be among those closed.
    live.revoked(id);
    live.workshopChanged(await workshops.asInstructor(id, instructorSecret));
    request.log.info({ workshop: id }, 'instructor secret revoked and replaced');
    return reply.header('cache-control', 'no-store').send({ instructorSecret });
  });

  app.delete('/workshops/:id', { schema: { params: workshopParams } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const { learners } = await workshops.classOf(id, secretOf(request));
    await workshops.delete(id, secretOf(request));
    // Their sandboxes go with them: nothing of the workshop's learners is left on the server.
    for (const learner of learners) {
      const session = sessionOfLearner.get(learner.id);
      sessionOfLearner.delete(learner.id);
      if (session) await registry.remove(session);
    }
    // After the sessions, so no push of theirs is under way: what the class shared outlived them, not the workshop.
    // The workshop is gone from the store already: a removal that fails is the registry's sweep's to finish (registry-host.ts).
    try {
      const removed = await classNamespaces?.()?.removeWorkshop(id);
      if (removed !== undefined) request.log.info({ workshop: id, removed }, "workshop's class namespace removed from the registry");
    } catch (error) {
      request.log.error({ workshop: id, err: error }, "workshop's class namespace not removed; the registry's next sweep removes it");
    }
    live.deleted(id);
    request.log.info({ workshop: id }, 'workshop deleted');
    return reply.code(204).send();
  });

  app.addHook('onClose', async () => workshops.store.close());
}
