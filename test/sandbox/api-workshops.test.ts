import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { SqliteWorkshopStore } from '../../sandbox-server/workshops/sqlite-workshop-store.js';
import type { WorkshopLimits } from '../../sandbox-server/workshops/workshop-limits.js';
import type { ClassNamespaces } from '../../sandbox-server/api/workshops.routes.js';
import type { SessionLimits } from '../../sandbox-server/sessions/session-limits.js';
import { ScriptedEngine, echoScript } from './api-scripted-engine.js';
import { aSandboxServer, command, type Harness } from './api-harness.js';
import { parseCsv } from './workshop-csv-reader.js';

let harness: Harness | undefined;
let dir: string | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A server with a sandbox (scripted engines) and workshops in a SQLite file under a temp dir, kept across `restart`. */
async function aWorkshopServer(
  options: { limits?: Partial<WorkshopLimits>; sessions?: Partial<SessionLimits>; sandbox?: boolean; classNamespaces?: ClassNamespaces } = {},
) {
  dir ??= mkdtempSync(join(tmpdir(), 'layerlab-api-workshops-'));
  const store = SqliteWorkshopStore.open(join(dir, 'workshops.sqlite'));
  harness = await aSandboxServer(
    options.sandbox === false ? undefined : async () => new ScriptedEngine(echoScript),
    options.sessions ? { limits: options.sessions } : {},
    {
      workshops: { store, limits: options.limits, ...(options.classNamespaces ? { classNamespaces: () => options.classNamespaces } : {}) },
    },
  );
  return harness.app;
}

const LESSONS = ['01-hello', '02-images'];

async function createWorkshop(app: FastifyInstance, body: Record<string, unknown> = {}) {
  const res = await app.inject({ method: 'POST', url: '/api/workshops', payload: { title: 'Docker 101', lessons: LESSONS, ...body } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ workshop: { id: string; joinCode: string }; instructorSecret: string; joinLink: string; instructorLink: string }>();
}

async function join_(app: FastifyInstance, code: string, displayName: string, remoteAddress = '127.0.0.1') {
  return app.inject({ method: 'POST', url: '/api/workshops/join', remoteAddress, payload: { code, displayName } });
}

type Joined = {
  learner: { id: string; displayName: string };
  resumeToken: string;
  session: { id: string; token: string; idleTimeoutMs: number } | null;
  simulator: string | null;
};

async function joined(app: FastifyInstance, code: string, displayName: string): Promise<Joined> {
  const res = await join_(app, code, displayName);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Joined>();
}

const classOf = (app: FastifyInstance, id: string, secret?: string) =>
  app.inject({ method: 'GET', url: `/api/workshops/${id}/class`, headers: secret === undefined ? {} : { 'x-instructor-secret': secret } });

const report = (app: FastifyInstance, id: string, j: Joined, body: Record<string, unknown>, token = j.resumeToken) =>
  app.inject({
    method: 'POST',
    url: `/api/workshops/${id}/learners/${j.learner.id}/progress`,
    headers: { authorization: `Bearer ${token}` },
    payload: body,
  });

const asSession = (j: Joined) => ({ id: j.session!.id, token: j.session!.token, auth: { authorization: `Bearer ${j.session!.token}` } });

describe('workshops API', () => {
  it('creates a workshop, joins a learner with a working sandbox session, records progress and shows the class to the secret only', async () => {
    const app = await aWorkshopServer();
    const created = await createWorkshop(app, { locale: 'ko', maxLearners: 30 });
    expect(created.joinLink).toBe(`/ko/workshop/#join=${created.workshop.joinCode}`);
    expect(created.instructorLink).toBe(`/ko/workshop/dashboard/#workshop=${created.workshop.id}&secret=${created.instructorSecret}`);
    expect(created.instructorSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const ada = await joined(app, created.workshop.joinCode.toLowerCase(), 'Ada');
    expect(ada.simulator).toBeNull();
    expect(ada.session!.idleTimeoutMs).toBe(app.sandboxSessions.limits.idleTimeoutMs);
    expect((await command(app, asSession(ada), 'echo hi')).json()).toMatchObject({ exitCode: 0 });

    const res = await report(app, created.workshop.id, ada, { lesson: '01-hello', step: 2, command: 'docker ps', exitCode: 1 });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().position).toMatchObject({ lesson: '01-hello', step: 2, commands: 1, failedCommands: 1, lastCommand: 'docker ps' });

    const klass = await classOf(app, created.workshop.id, created.instructorSecret);
    expect(klass.statusCode).toBe(200);
    expect(klass.headers['cache-control']).toBe('no-store');
    const body = klass.json();
    expect(body.workshop).toMatchObject({ id: created.workshop.id, title: 'Docker 101', lessons: LESSONS, maxLearners: 30, joinPaused: false });
    expect(body.learners).toHaveLength(1);
    expect(body.learners[0]).toMatchObject({ id: ada.learner.id, displayName: 'Ada', sandbox: true, position: { step: 2, failedCommands: 1 } });
    expect(JSON.stringify(body)).not.toMatch(/secretHash|tokenHash/);

    expect((await classOf(app, created.workshop.id)).json().error.code).toBe('WRONG_SECRET');
    const wrong = await classOf(
      app,
      created.workshop.id,
      created.instructorSecret.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')),
    );
    expect([wrong.statusCode, wrong.json().error.code]).toEqual([403, 'WRONG_SECRET']);
    const events = await app.inject({
      method: 'GET',
      url: `/api/workshops/${created.workshop.id}/learners/${ada.learner.id}/progress`,
      headers: { 'x-instructor-secret': created.instructorSecret },
    });
    expect(events.json().events).toEqual([{ lesson: '01-hello', step: 2, command: 'docker ps', exitCode: 1, at: expect.any(Number) }]);
  });

  it('never logs the instructor secret, a resume token or a display name', async () => {
    const app = await aWorkshopServer();
    const created = await createWorkshop(app);
    const name = 'Grace <script>';
    const grace = await joined(app, created.workshop.joinCode, name);
    await report(app, created.workshop.id, grace, { lesson: '01-hello', step: 0 });
    await classOf(app, created.workshop.id, created.instructorSecret);
    await classOf(app, created.workshop.id, 'a-wrong-secret-that-must-not-be-logged');
    const logs = harness!.logs.join('\n');
    expect(logs).toContain('learner joined');
    for (const secret of [created.instructorSecret, grace.resumeToken, 'a-wrong-secret-that-must-not-be-logged', name])
      expect(logs).not.toContain(secret);
  });

  it('resumes a learner with a fresh sandbox, ending the old one, and only with their own token', async () => {
    const app = await aWorkshopServer();
    const created = await createWorkshop(app);
    const ada = await joined(app, created.workshop.joinCode, 'Ada');
    const bob = await joined(app, created.workshop.joinCode, 'Bob');
    await report(app, created.workshop.id, ada, { lesson: '02-images', step: 1 });
    const resume = (token: string) =>
      app.inject({
        method: 'POST',
        url: `/api/workshops/${created.workshop.id}/learners/${ada.learner.id}/resume`,
        headers: { authorization: `Bearer ${token}` },
      });
    const res = await resume(ada.resumeToken);
    expect(res.statusCode, res.body).toBe(200);
    const again = res.json<Joined & { learner: { position: { lesson: string } } }>();
    expect(again.learner.position.lesson).toBe('02-images');
    expect(again.session!.id).not.toBe(ada.session!.id);
    expect((await command(app, asSession(ada), 'echo hi')).statusCode).toBe(404);
    expect((await command(app, asSession(again), 'echo hi')).statusCode).toBe(200);
    for (const token of [bob.resumeToken, 'nope']) {
      const refused = await resume(token);
      expect([refused.statusCode, refused.json().error.code]).toEqual([404, 'NO_SUCH_LEARNER']);
    }
    expect((await report(app, created.workshop.id, ada, { lesson: '01-hello', step: 0 }, bob.resumeToken)).statusCode).toBe(404);
    expect(app.sandboxSessions.size).toBe(2);
  });

  it('refuses a join past the learner limit, while paused, after close, and past the joins per address', async () => {
    const app = await aWorkshopServer({ limits: { maxLearners: 50, joinBurst: 4, joinsPerMinute: 1 } });
    expect(
      (await app.inject({ method: 'POST', url: '/api/workshops', payload: { title: 't', lessons: LESSONS, maxLearners: 51 } })).json().error.code,
    ).toBe('INVALID_WORKSHOP');
    const created = await createWorkshop(app, { maxLearners: 2 });
    const patch = (payload: Record<string, unknown>, secret = created.instructorSecret) =>
      app.inject({ method: 'PATCH', url: `/api/workshops/${created.workshop.id}`, headers: { 'x-instructor-secret': secret }, payload });
    await joined(app, created.workshop.joinCode, 'one');
    expect((await patch({ joinPaused: true }, 'wrong')).statusCode).toBe(403);
    expect((await patch({ joinPaused: true })).json().workshop.joinPaused).toBe(true);
    const paused = await join_(app, created.workshop.joinCode, 'two');
    expect([paused.statusCode, paused.json().error.code]).toEqual([409, 'JOINING_PAUSED']);
    await patch({ joinPaused: false });
    await joined(app, created.workshop.joinCode, 'two');
    const full = await join_(app, created.workshop.joinCode, 'three');
    expect([full.statusCode, full.json().error.code]).toEqual([409, 'WORKSHOP_FULL']);
    // Four joins from this address so far (two refused ones count: guessing codes costs the same).
    const limited = await join_(app, created.workshop.joinCode, 'four');
    expect([limited.statusCode, limited.json().error.code]).toEqual([429, 'RATE_LIMITED']);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    const other = await createWorkshop(app);
    expect((await join_(app, other.workshop.joinCode, 'elsewhere', '10.0.0.2')).statusCode).toBe(201);
    expect((await patch({ closed: true })).json().workshop.closedAt).toEqual(expect.any(Number));
    const closed = await join_(app, created.workshop.joinCode, 'five', '10.0.0.3');
    expect([closed.statusCode, closed.json().error.code]).toEqual([410, 'WORKSHOP_CLOSED']);
  });

  it('takes hostile display names as JSON text exactly as given, and refuses NUL and 10 MB before storing anything', async () => {
    const app = await aWorkshopServer();
    const created = await createWorkshop(app);
    const names = ['<img src=x onerror=alert(1)>', '\u202Eexe.txt', '</script><script>alert(1)</script>'];
    for (const name of names) await joined(app, created.workshop.joinCode, name);
    const nul = await join_(app, created.workshop.joinCode, 'a\u0000b');
    expect([nul.statusCode, nul.json().error.code]).toEqual([400, 'INVALID_DISPLAY_NAME']);
    const huge = await join_(app, created.workshop.joinCode, 'x'.repeat(10 * 2 ** 20));
    expect([huge.statusCode, huge.json().error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    const klass = await classOf(app, created.workshop.id, created.instructorSecret);
    expect(klass.headers['content-type']).toMatch(/^application\/json/);
    expect(klass.json().learners.map((l: { displayName: string }) => l.displayName)).toEqual(names);
  });

  it('gives the simulator instead of a sandbox when the server has none or no room, and says why', async () => {
    const app = await aWorkshopServer({ sessions: { maxSessions: 1 } });
    const created = await createWorkshop(app);
    const first = await joined(app, created.workshop.joinCode, 'first');
    const second = await joined(app, created.workshop.joinCode, 'second');
    expect(first.session).not.toBeNull();
    expect([second.session, second.simulator]).toEqual([null, 'SERVER_FULL']);
    const klass = (await classOf(app, created.workshop.id, created.instructorSecret)).json();
    expect(klass.learners.map((l: { sandbox: boolean }) => l.sandbox)).toEqual([true, false]);
    await harness!.close();
    harness = undefined;

    const none = await aWorkshopServer({ sandbox: false });
    const noSandbox = await joined(none, created.workshop.joinCode, 'third');
    expect([noSandbox.session, noSandbox.simulator]).toEqual([null, 'SANDBOX_UNAVAILABLE']);
  });

  it("gives each learner's sandbox the workshop's per-learner limits, never more than the server's, on join, resume and reset", async () => {
    const MiB = 2 ** 20;
    const app = await aWorkshopServer({ sessions: { sessionMemoryBytes: 512 * MiB, containerMemoryBytes: 256 * MiB, stateBytes: 400 * MiB } });
    const narrow = await createWorkshop(app, { learnerLimits: { memoryBytes: 64 * MiB, diskBytes: 100 * MiB } });
    const wide = await createWorkshop(app, { learnerLimits: { memoryBytes: 4096 * MiB, diskBytes: 1 } });
    const plain = await createWorkshop(app);
    const limitsOfLast = () => {
      const { limits } = harness!.engines.at(-1)!.session;
      return { memory: limits.sessionMemoryBytes / MiB, container: limits.containerMemoryBytes / MiB, disk: limits.stateBytes / MiB };
    };
    const ada = await joined(app, narrow.workshop.joinCode, 'Ada');
    expect(limitsOfLast()).toEqual({ memory: 64, container: 64, disk: 100 });
    expect(app.sandboxSessions.limits.sessionMemoryBytes).toBe(512 * MiB);
    await joined(app, wide.workshop.joinCode, 'Bob');
    expect(limitsOfLast()).toEqual({ memory: 512, container: 256, disk: 32 });
    await joined(app, plain.workshop.joinCode, 'Cy');
    expect(limitsOfLast()).toEqual({ memory: 512, container: 256, disk: 400 });
    await app.inject({
      method: 'POST',
      url: `/api/workshops/${narrow.workshop.id}/learners/${ada.learner.id}/resume`,
      headers: { authorization: `Bearer ${ada.resumeToken}` },
    });
    expect(limitsOfLast()).toEqual({ memory: 64, container: 64, disk: 100 });
    await app.inject({
      method: 'POST',
      url: `/api/workshops/${narrow.workshop.id}/learners/${ada.learner.id}/reset`,
      headers: { 'x-instructor-secret': narrow.instructorSecret },
    });
    expect(limitsOfLast()).toEqual({ memory: 64, container: 64, disk: 100 });
  });

  it('says how many real sandboxes the server holds, without a secret', async () => {
    const app = await aWorkshopServer({ sessions: { maxSessions: 3 } });
    const capacity = async () => (await app.inject({ method: 'GET', url: '/api/workshops/capacity' })).json();
    expect(await capacity()).toEqual({ available: true, sandboxes: { max: 3, inUse: 0, free: 3 } });
    const created = await createWorkshop(app);
    for (const name of ['a', 'b', 'c', 'd']) await joined(app, created.workshop.joinCode, name);
    expect(await capacity()).toEqual({ available: true, sandboxes: { max: 3, inUse: 3, free: 0 } });
    await harness!.close();
    harness = undefined;
    const none = await aWorkshopServer({ sandbox: false });
    expect((await none.inject({ method: 'GET', url: '/api/workshops/capacity' })).json()).toEqual({
      available: false,
      sandboxes: { max: 0, inUse: 0, free: 0 },
    });
  });

  it('stores a hint for one learner or all with the secret only, and refuses another workshop’s learner', async () => {
    const app = await aWorkshopServer();
    const created = await createWorkshop(app);
    const other = await createWorkshop(app);
    const ada = await joined(app, created.workshop.joinCode, 'Ada');
    const stranger = await joined(app, other.workshop.joinCode, 'Eve');
    const hint = (payload: Record<string, unknown>, secret: string | null = created.instructorSecret) =>
      app.inject({
        method: 'POST',
        url: `/api/workshops/${created.workshop.id}/hints`,
        headers: secret === null ? {} : { 'x-instructor-secret': secret },
        payload,
      });
    const all = await hint({ text: 'try docker ps -a' });
    expect(all.statusCode, all.body).toBe(201);
    expect(all.json().hint).toEqual({ id: expect.stringMatching(/^[0-9a-f]{32}$/), text: 'try docker ps -a', at: expect.any(Number), toAll: true });
    expect((await hint({ text: '<b>you</b>', learnerId: ada.learner.id })).json().hint).toMatchObject({ text: '<b>you</b>', toAll: false });
    for (const [payload, secret, status, code] of [
      [{ text: 'x' }, null, 403, 'WRONG_SECRET'],
      [{ text: 'x' }, other.instructorSecret, 403, 'WRONG_SECRET'],
      [{ text: 'x', learnerId: stranger.learner.id }, created.instructorSecret, 404, 'NO_SUCH_LEARNER'],
      [{ text: '' }, created.instructorSecret, 400, 'INVALID_REQUEST'],
      [{ text: 'x'.repeat(1001) }, created.instructorSecret, 400, 'INVALID_HINT'],
      [{ text: 'x'.repeat(10 * 2 ** 20) }, created.instructorSecret, 413, 'PAYLOAD_TOO_LARGE'],
      [{ text: 'x', extra: 1 }, created.instructorSecret, 400, 'INVALID_REQUEST'],
    ] as const) {
      const res = await hint(payload, secret);
      expect([res.statusCode, res.json().error.code], JSON.stringify(payload).slice(0, 80)).toEqual([status, code]);
    }
    expect((await app.inject({ method: 'GET', url: '/api/workshops/capacity' })).statusCode).toBe(200);
    expect(harness!.logs.join('\n')).not.toContain('try docker ps -a');
  });

  it('resets a learner’s sandbox for the instructor: a new session, the old one ended, progress kept', async () => {
    const app = await aWorkshopServer();
    const created = await createWorkshop(app);
    const other = await createWorkshop(app);
    const ada = await joined(app, created.workshop.joinCode, 'Ada');
    const eve = await joined(app, other.workshop.joinCode, 'Eve');
    await report(app, created.workshop.id, ada, { lesson: '02-images', step: 4, command: 'docker images', exitCode: 0 });
    const reset = (learnerId: string, secret: string) =>
      app.inject({
        method: 'POST',
        url: `/api/workshops/${created.workshop.id}/learners/${learnerId}/reset`,
        headers: { 'x-instructor-secret': secret },
      });
    expect((await reset(ada.learner.id, other.instructorSecret)).statusCode).toBe(403);
    expect((await reset(eve.learner.id, created.instructorSecret)).json().error.code).toBe('NO_SUCH_LEARNER');
    expect((await command(app, asSession(ada), 'echo hi')).statusCode).toBe(200);
    const res = await reset(ada.learner.id, created.instructorSecret);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ sandbox: 'session' });
    expect((await command(app, asSession(ada), 'echo hi')).statusCode).toBe(404);
    expect(app.sandboxSessions.size).toBe(2);
    const klass = (await classOf(app, created.workshop.id, created.instructorSecret)).json();
    expect(klass.learners[0]).toMatchObject({ sandbox: true, position: { lesson: '02-images', step: 4, commands: 1 } });
  });

  it('exports the class as RFC 4180 CSV and as JSON, hostile names and commands as data, to the secret only', async () => {
    const app = await aWorkshopServer({ sessions: { maxSessions: 1 } });
    const created = await createWorkshop(app);
    const names = ['=HYPERLINK("http://evil","x")', '@SUM(1,2)', '김도커, "quoted"'];
    const learners = [];
    for (const name of names) learners.push(await joined(app, created.workshop.joinCode, name));
    await report(app, created.workshop.id, learners[0]!, { lesson: '01-hello', step: 0 });
    await report(app, created.workshop.id, learners[0]!, { lesson: '01-hello', step: 1, command: '+1\r\n-2', exitCode: 1 });
    await report(app, created.workshop.id, learners[1]!, { lesson: '02-images', step: 0, command: '\t=cmd', exitCode: 0 });
    const exported = (format: string, secret = created.instructorSecret) =>
      app.inject({ method: 'GET', url: `/api/workshops/${created.workshop.id}/export?format=${format}`, headers: { 'x-instructor-secret': secret } });

    const csv = await exported('csv');
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="workshop-${created.workshop.id}.csv"`);
    expect(csv.headers['cache-control']).toBe('no-store');
    expect(csv.body.startsWith('\ufeff')).toBe(true);
    const records = parseCsv(csv.body.slice(1));
    expect(records[0]).toEqual([
      'displayName',
      'lesson',
      'step',
      'stepsDone',
      'commands',
      'failed',
      'lastCommand',
      'joinedAt',
      'lastSeenAt',
      'sandbox',
    ]);
    expect(records.slice(1).map((r) => [r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[9]])).toEqual([
      [`'=HYPERLINK("http://evil","x")`, '01-hello', '1', '1', '1', '1', "'+1\r\n-2", 'sandbox'],
      ["'@SUM(1,2)", '02-images', '0', '0', '1', '0', "'\t=cmd", 'simulator'],
      ['김도커, "quoted"', '', '', '0', '0', '0', '', 'simulator'],
    ]);
    for (const record of records.slice(1)) expect(new Date(record[7]!).getTime()).toBeGreaterThan(0);

    const json = await exported('json');
    expect(json.headers['content-disposition']).toBe(`attachment; filename="workshop-${created.workshop.id}.json"`);
    const body = json.json();
    expect(body.workshop).toEqual({
      id: created.workshop.id,
      title: 'Docker 101',
      lessons: LESSONS,
      stuckSettings: { slowFactor: 3, slowFloorMs: 120_000, failingCommands: 3 },
    });
    expect(body.learners.map((l: { displayName: string }) => l.displayName)).toEqual(names);
    expect(body.learners[0]).toMatchObject({ lastCommand: '+1\r\n-2', commands: 1, failed: 1, stepsDone: 1, sandbox: 'sandbox' });
    expect(JSON.stringify(body)).not.toMatch(/tokenHash|secretHash|resumeToken/);

    expect((await exported('csv', 'wrong')).statusCode).toBe(403);
    expect((await exported('xlsx')).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: `/api/workshops/${created.workshop.id}/export` })).statusCode).toBe(403);
  });

  it('takes stuck settings at create and in a PATCH with the secret, refusing bad ones by name, and exports them', async () => {
    const app = await aWorkshopServer();
    const plain = await createWorkshop(app);
    expect(plain.workshop).toMatchObject({ stuckSettings: { slowFactor: 3, slowFloorMs: 120_000, failingCommands: 3 } });
    const created = await createWorkshop(app, { stuckSettings: { slowFactor: 2, failingCommands: 4 } });
    expect(created.workshop).toMatchObject({ stuckSettings: { slowFactor: 2, slowFloorMs: 120_000, failingCommands: 4 } });

    const refused = async (stuckSettings: unknown) => {
      const res = await app.inject({ method: 'POST', url: '/api/workshops', payload: { title: 't', lessons: LESSONS, stuckSettings } });
      return [res.statusCode, res.json().error.code, res.json().error.message];
    };
    expect(await refused({ failingCommands: 0 })).toEqual([
      400,
      'INVALID_WORKSHOP',
      'stuckSettings.failingCommands must be a whole number from 1 to 20, got 0',
    ]);
    expect(await refused({ failingCommands: 2.5 })).toEqual([
      400,
      'INVALID_WORKSHOP',
      expect.stringMatching(/failingCommands must be a whole number/),
    ]);
    expect(await refused({ slowFloorMs: 5_000 })).toEqual([400, 'INVALID_WORKSHOP', expect.stringMatching(/slowFloorMs .* from 10000/)]);
    expect(await refused({ slowFactor: 1e308 })).toEqual([400, 'INVALID_WORKSHOP', expect.stringMatching(/slowFactor/)]);
    // Not a number, or not a setting: the request's shape is wrong, before anything is checked.
    expect(await refused({ slowFactor: '3' })).toEqual([400, 'INVALID_REQUEST', expect.stringMatching(/slowFactor/)]);
    expect(await refused({ slowFactor: 3, rm: 1 })).toEqual([400, 'INVALID_REQUEST', expect.any(String)]);
    expect(await refused([3, 120_000, 3])).toEqual([400, 'INVALID_REQUEST', expect.any(String)]);

    const patch = (payload: Record<string, unknown>, secret = created.instructorSecret) =>
      app.inject({ method: 'PATCH', url: `/api/workshops/${created.workshop.id}`, headers: { 'x-instructor-secret': secret }, payload });
    expect((await patch({ stuckSettings: { failingCommands: 1 } }, plain.instructorSecret)).statusCode).toBe(403);
    const bad = await patch({ stuckSettings: { slowFloorMs: 60_000, failingCommands: 21 }, joinPaused: true });
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'INVALID_WORKSHOP']);
    // Refused whole: neither the good setting nor the pause beside it was taken.
    expect((await classOf(app, created.workshop.id, created.instructorSecret)).json().workshop).toMatchObject({
      joinPaused: false,
      stuckSettings: { slowFactor: 2, slowFloorMs: 120_000, failingCommands: 4 },
    });
    const ok = await patch({ stuckSettings: { slowFloorMs: 60_000 } });
    expect(ok.json().workshop.stuckSettings).toEqual({ slowFactor: 2, slowFloorMs: 60_000, failingCommands: 4 });
    const json = await app.inject({
      method: 'GET',
      url: `/api/workshops/${created.workshop.id}/export?format=json`,
      headers: { 'x-instructor-secret': created.instructorSecret },
    });
    expect(json.json().workshop.stuckSettings).toEqual({ slowFactor: 2, slowFloorMs: 60_000, failingCommands: 4 });
    // A learner's view of the workshop does not carry them.
    const ada = await join_(app, created.workshop.joinCode, 'Ada');
    expect(ada.json().workshop.stuckSettings).toBeUndefined();
  });

  it('revokes the instructor secret, and deletes the workshop with its learners and their sandboxes', async () => {
    const app = await aWorkshopServer();
    const created = await createWorkshop(app);
    const ada = await joined(app, created.workshop.joinCode, 'Ada');
    const rotated = await app.inject({
      method: 'POST',
      url: `/api/workshops/${created.workshop.id}/secret`,
      headers: { 'x-instructor-secret': created.instructorSecret },
    });
    const next = rotated.json().instructorSecret as string;
    expect(next).not.toBe(created.instructorSecret);
    expect((await classOf(app, created.workshop.id, created.instructorSecret)).statusCode).toBe(403);
    expect((await classOf(app, created.workshop.id, next)).statusCode).toBe(200);
    const del = (secret: string) =>
      app.inject({ method: 'DELETE', url: `/api/workshops/${created.workshop.id}`, headers: { 'x-instructor-secret': secret } });
    expect((await del(created.instructorSecret)).statusCode).toBe(403);
    expect((await del(next)).statusCode).toBe(204);
    expect((await classOf(app, created.workshop.id, next)).json().error.code).toBe('NO_SUCH_WORKSHOP');
    expect((await command(app, asSession(ada), 'echo hi')).statusCode).toBe(404);
    expect((await join_(app, created.workshop.joinCode, 'late')).json().error.code).toBe('NO_SUCH_WORKSHOP');
  });

  it("deletes the workshop when its class namespace cannot be removed now, leaving that to the registry's sweep", async () => {
    const asked: string[] = [];
    const app = await aWorkshopServer({
      classNamespaces: {
        removeWorkshop: async (id) => {
          asked.push(id);
          throw new Error('EBUSY: resource busy or locked');
        },
      },
    });
    const created = await createWorkshop(app);
    const del = await app.inject({
      method: 'DELETE',
      url: `/api/workshops/${created.workshop.id}`,
      headers: { 'x-instructor-secret': created.instructorSecret },
    });
    expect(del.statusCode, del.body).toBe(204);
    expect(asked).toEqual([created.workshop.id]);
    expect((await classOf(app, created.workshop.id, created.instructorSecret)).json().error.code).toBe('NO_SUCH_WORKSHOP');
    expect(harness!.logs.join('')).toMatch(/class namespace not removed; the registry's next sweep removes it/);
  });

  it('keeps workshops, learners and progress across a restart; the learner resumes with a new sandbox', async () => {
    const app = await aWorkshopServer();
    const created = await createWorkshop(app);
    const ada = await joined(app, created.workshop.joinCode, 'Ada');
    await report(app, created.workshop.id, ada, { lesson: '01-hello', step: 3, command: 'docker images', exitCode: 0 });
    await harness!.close();
    harness = undefined;

    const restarted = await aWorkshopServer();
    const klass = (await classOf(restarted, created.workshop.id, created.instructorSecret)).json();
    expect(klass.learners).toMatchObject([
      { id: ada.learner.id, displayName: 'Ada', sandbox: false, position: { step: 3, commands: 1, lastCommand: 'docker images' } },
    ]);
    const res = await restarted.inject({
      method: 'POST',
      url: `/api/workshops/${created.workshop.id}/learners/${ada.learner.id}/resume`,
      headers: { authorization: `Bearer ${ada.resumeToken}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((await command(restarted, asSession(res.json()), 'echo hi')).statusCode).toBe(200);
  });
});
