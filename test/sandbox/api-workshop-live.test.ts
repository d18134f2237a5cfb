import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { SqliteWorkshopStore } from '../../sandbox-server/workshops/sqlite-workshop-store.js';
import { MAX_HELD_MESSAGES, MAX_LEARNER_OUTPUT_BYTES, MAX_LEARNER_STATE_BYTES } from '../../sandbox-server/api/workshop-sockets.routes.js';
import { WorkshopLive } from '../../sandbox-server/api/workshop-live.js';
import { Workshops } from '../../sandbox-server/workshops/workshops.js';
import type { WorkshopStore } from '../../sandbox-server/workshops/workshop-store.js';
import { ScriptedEngine, echoScript } from './api-scripted-engine.js';
import { aSandboxServer, type Harness } from './api-harness.js';

let harness: Harness | undefined;
let dir: string | undefined;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  await harness?.close();
  harness = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

let clock = Date.UTC(2026, 11, 5, 9, 0);

/** The server over a SQLite store in a temp dir; `wrap` may put a hook in the store's way (a race held open). */
async function aLiveServer(wrap: (store: WorkshopStore) => WorkshopStore = (store) => store): Promise<{ app: FastifyInstance; base: string }> {
  dir = mkdtempSync(join(tmpdir(), 'layerlab-workshop-live-'));
  harness = await aSandboxServer(
    async () => new ScriptedEngine(echoScript),
    { now: () => clock },
    {
      workshops: { store: wrap(SqliteWorkshopStore.open(join(dir, 'workshops.sqlite'))) },
    },
  );
  const address = await harness.app.listen({ host: '127.0.0.1', port: 0 });
  return { app: harness.app, base: address.replace('http', 'ws') };
}

type Message = { type: string; [key: string]: unknown };

/** A client socket that keeps every message it got, and waits for the ones a test expects. */
class Client {
  readonly messages: Message[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: (() => void)[] = [];
  constructor(readonly socket: WebSocket) {
    sockets.push(socket);
    socket.on('message', (data) => {
      this.messages.push(JSON.parse(data.toString()));
      for (const w of this.waiters.splice(0)) w();
    });
    this.closed = new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }
  static async open(url: string): Promise<Client> {
    const socket = new WebSocket(url);
    const client = new Client(socket);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    return client;
  }
  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }
  /** The messages in one TCP write, so the server reads the later ones while it still checks the first (as a page's burst on reconnect arrives). */
  sendTogether(...messages: unknown[]): void {
    const tcp = (this.socket as unknown as { _socket: { cork(): void; uncork(): void } })._socket;
    tcp.cork();
    for (const message of messages) this.send(message);
    tcp.uncork();
  }
  /** The first message (from `from` on) that `match` takes. */
  async next(match: (m: Message) => boolean, from = 0, timeoutMs = 5000): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.slice(from).find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching message; got ${JSON.stringify(this.messages).slice(0, 500)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }
}

async function setUp(app: FastifyInstance, names: string[]) {
  const res = await app.inject({ method: 'POST', url: '/api/workshops', payload: { title: 'Docker 101', lessons: ['01-hello', '02-images'] } });
  const { workshop, instructorSecret } = res.json<{ workshop: { id: string; joinCode: string }; instructorSecret: string }>();
  const learners = [];
  for (const displayName of names) {
    const joined = await app.inject({ method: 'POST', url: '/api/workshops/join', payload: { code: workshop.joinCode, displayName } });
    learners.push(joined.json<{ learner: { id: string }; resumeToken: string }>());
  }
  return { workshopId: workshop.id, secret: instructorSecret, learners };
}

const report = (app: FastifyInstance, workshopId: string, l: { learner: { id: string }; resumeToken: string }, body: object) =>
  app.inject({
    method: 'POST',
    url: `/api/workshops/${workshopId}/learners/${l.learner.id}/progress`,
    headers: { authorization: `Bearer ${l.resumeToken}` },
    payload: body,
  });

describe('workshop live sockets', () => {
  it('closes a dashboard 4401 for a wrong, another workshop’s or a learner’s secret, a message before auth, or no auth in 5 s — and sends it nothing', async () => {
    const { app, base } = await aLiveServer();
    const w = await setUp(app, ['Ada']);
    const other = await setUp(app, []);
    const url = `${base}/api/workshops/${w.workshopId}/live`;
    for (const first of [
      { type: 'auth', secret: 'wrong' },
      { type: 'auth', secret: other.secret },
      { type: 'auth', secret: w.learners[0]!.resumeToken },
      { type: 'watch', learnerId: w.learners[0]!.learner.id },
      'not json',
      { type: 'auth', secret: w.secret, extra: true },
    ]) {
      const c = await Client.open(url);
      c.send(first);
      expect((await c.closed).code, JSON.stringify(first)).toBe(4401);
      expect(c.messages).toEqual([]);
    }
    const silent = await Client.open(url);
    const started = Date.now();
    expect((await silent.closed).code).toBe(4401);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4900);
    expect(silent.messages).toEqual([]);
    // An unknown workshop is the same refusal as a wrong secret.
    const unknown = await Client.open(`${base}/api/workshops/${'f'.repeat(32)}/live`);
    unknown.send({ type: 'auth', secret: w.secret });
    expect((await unknown.closed).code).toBe(4401);
  }, 15_000);

  it('closes every dashboard 4401 when the secret is revoked: the old secret is refused after it, the new one let in, learners kept', async () => {
    const { app, base } = await aLiveServer();
    const w = await setUp(app, ['Ada']);
    const url = `${base}/api/workshops/${w.workshopId}/live`;
    const dashboard = async (secret: string) => {
      const c = await Client.open(url);
      c.send({ type: 'auth', secret });
      return c;
    };
    // Two dashboards on the old secret (the instructor's laptop and the projector), both live.
    const laptop = await dashboard(w.secret);
    const projector = await dashboard(w.secret);
    await laptop.next((m) => m.type === 'class');
    await projector.next((m) => m.type === 'class');
    const ada = await Client.open(`${base}/api/workshops/${w.workshopId}/learners/${w.learners[0]!.learner.id}/live`);
    ada.send({ type: 'auth', token: w.learners[0]!.resumeToken });
    await new Promise((r) => setTimeout(r, 100));

    const rotated = await app.inject({ method: 'POST', url: `/api/workshops/${w.workshopId}/secret`, headers: { 'x-instructor-secret': w.secret } });
    const next = rotated.json<{ instructorSecret: string }>().instructorSecret;
    expect((await laptop.closed).code).toBe(4401);
    expect((await projector.closed).code).toBe(4401);
    // Nothing of the class reaches them after the revoke: a report now is not sent to a closed dashboard.
    const seen = laptop.messages.length;
    await report(app, w.workshopId, w.learners[0]!, { lesson: '01-hello', step: 1, command: 'docker ps', exitCode: 0 });

    const stale = await dashboard(w.secret);
    expect((await stale.closed).code).toBe(4401);
    expect(stale.messages).toEqual([]);
    const fresh = await dashboard(next);
    const klass = await fresh.next((m) => m.type === 'class');
    expect((klass.learners as { position: { commands: number } }[])[0]!.position.commands).toBe(1);
    expect(laptop.messages.length).toBe(seen);

    // The learner's socket is the learner's: a revoke does not end it, and a hint still arrives.
    expect(ada.socket.readyState).toBe(WebSocket.OPEN);
    await app.inject({
      method: 'POST',
      url: `/api/workshops/${w.workshopId}/hints`,
      headers: { 'x-instructor-secret': next },
      payload: { text: 'still here' },
    });
    await ada.next((m) => m.type === 'hint' && (m.hint as { text: string }).text === 'still here');
    // And the revoked secret cannot revoke again.
    const again = await app.inject({ method: 'POST', url: `/api/workshops/${w.workshopId}/secret`, headers: { 'x-instructor-secret': w.secret } });
    expect(again.statusCode).toBe(403);
    expect(fresh.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('refuses a dashboard whose secret was checked just before a revoke or a delete, once its add comes after it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'layerlab-workshop-live-'));
    const workshops = new Workshops(SqliteWorkshopStore.open(join(dir, 'workshops.sqlite')), { now: () => clock });
    const log = { error: () => undefined } as unknown as FastifyBaseLogger;
    const live = new WorkshopLive({ workshops, hasSandbox: () => false, now: () => clock, log });
    const { workshop, instructorSecret } = await workshops.create({ title: 'Race', lessons: ['01-hello'] });
    const aSocket = () => {
      const socket = { readyState: 1, OPEN: 1, sent: [] as string[], closedWith: undefined as number | undefined };
      return Object.assign(socket, {
        send: (text: string) => void socket.sent.push(text),
        close: (code: number) => {
          socket.closedWith = code;
          socket.readyState = 2;
        },
      });
    };
    // The route's order: the epoch, then the secret read — still the old one — then, after the revoke, the add.
    let epoch = live.authEpoch(workshop.id);
    const checked = await workshops.asInstructor(workshop.id, instructorSecret);
    const next = await workshops.rotateSecret(workshop.id, instructorSecret);
    live.revoked(workshop.id);
    const late = aSocket();
    expect(await live.addDashboard(checked, late as unknown as WebSocket, epoch)).toBeUndefined();
    expect(late).toMatchObject({ closedWith: 4401, sent: [] });
    expect(live.counts.dashboards).toBe(0);

    // A check that starts after the revoke, with the new secret, is let in and gets the class.
    epoch = live.authEpoch(workshop.id);
    const now = aSocket();
    const added = await live.addDashboard(await workshops.asInstructor(workshop.id, next), now as unknown as WebSocket, epoch);
    expect(added).toBeDefined();
    expect(JSON.parse(now.sent[0]!)).toMatchObject({ type: 'class' });

    // A delete: the open dashboard goes (4404, nothing to reconnect to); one checked before it is refused.
    epoch = live.authEpoch(workshop.id);
    const checkedAgain = await workshops.asInstructor(workshop.id, next);
    await workshops.delete(workshop.id, next);
    live.deleted(workshop.id);
    expect(now.closedWith).toBe(4404);
    const afterDelete = aSocket();
    expect(await live.addDashboard(checkedAgain, afterDelete as unknown as WebSocket, epoch)).toBeUndefined();
    expect(afterDelete).toMatchObject({ closedWith: 4401, sent: [] });
    live.removeDashboard(workshop.id, added!);
    expect(live.counts).toEqual({ rooms: 0, dashboards: 0, learners: 0 });
    await workshops.store.close();
  });

  it('closes a learner socket 4404 whose token was checked before its workshop was deleted and whose add comes after', async () => {
    // The hook: the learner's auth reads their hints (the token already checked), then waits until the delete is done.
    let reached!: () => void;
    const atHints = new Promise<void>((resolve) => (reached = resolve));
    let release!: () => void;
    const deleteDone = new Promise<void>((resolve) => (release = resolve));
    const { app, base } = await aLiveServer(
      (store) =>
        new Proxy(store, {
          get(target, key, receiver) {
            if (key !== 'hints') return Reflect.get(target, key, receiver) as unknown;
            return async (workshopId: string, learnerId: string) => {
              const hints = await target.hints(workshopId, learnerId);
              reached();
              await deleteDone;
              return hints;
            };
          },
        }),
    );
    const w = await setUp(app, ['Ada']);
    const ada = w.learners[0]!;
    await app.inject({
      method: 'POST',
      url: `/api/workshops/${w.workshopId}/hints`,
      headers: { 'x-instructor-secret': w.secret },
      payload: { text: 'read before the delete' },
    });
    const c = await Client.open(`${base}/api/workshops/${w.workshopId}/learners/${ada.learner.id}/live`);
    // Whichever comes first: the close, or a hint — the auth let the socket in after the delete.
    const outcome = new Promise<string>((resolve) => {
      c.socket.on('close', (code) => resolve(`closed ${code}`));
      c.socket.on('message', () => resolve('let in'));
    });
    c.send({ type: 'auth', token: ada.resumeToken });
    await atHints;
    const deleted = await app.inject({ method: 'DELETE', url: `/api/workshops/${w.workshopId}`, headers: { 'x-instructor-secret': w.secret } });
    expect(deleted.statusCode).toBe(204);
    release();
    expect(await outcome).toBe('closed 4404');
    expect(c.messages).toEqual([]);
  });

  it('sends the class, then coalesced deltas: 300 reports at once reach the dashboard in a few messages, not 300', async () => {
    const { app, base } = await aLiveServer();
    const names = Array.from({ length: 30 }, (_, i) => `learner ${i}`);
    const w = await setUp(app, names);
    const dash = await Client.open(`${base}/api/workshops/${w.workshopId}/live`);
    dash.send({ type: 'auth', secret: w.secret });
    const klass = await dash.next((m) => m.type === 'class');
    expect((klass.workshop as { id: string }).id).toBe(w.workshopId);
    const rows = klass.learners as { id: string; displayName: string; stuck: unknown; stepSinceMs: unknown; sandbox: boolean }[];
    expect(rows.map((r) => r.displayName)).toEqual(names);
    expect(rows[0]).toMatchObject({ stuck: null, stepSinceMs: null, sandbox: true });
    expect(JSON.stringify(klass)).not.toMatch(/secretHash|tokenHash/);

    const started = Date.now();
    await Promise.all(
      w.learners.flatMap((l, i) =>
        Array.from({ length: 10 }, (_, n) => report(app, w.workshopId, l, { lesson: '01-hello', step: 1, command: `echo ${i}-${n}`, exitCode: 0 })),
      ),
    );
    const last = await dash.next(
      (m) => m.type === 'learners' && (m.learners as { position: { commands: number } }[]).some((r) => r.position.commands === 10),
    );
    // Every learner ends at 10 commands; wait until the dashboard has seen all of them there.
    const latest = new Map<string, number>();
    const seen = async () => {
      for (const m of dash.messages)
        if (m.type === 'learners')
          for (const r of m.learners as { id: string; position: { commands: number } }[]) latest.set(r.id, r.position.commands);
      return [...latest.values()].filter((n) => n === 10).length;
    };
    for (let i = 0; i < 40 && (await seen()) < 30; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await seen()).toBe(30);
    expect(last).toBeDefined();
    const deltas = dash.messages.filter((m) => m.type === 'learners');
    const elapsedMs = Date.now() - started;
    // ≤ 4 a second, and far fewer than the 300 reports.
    expect(deltas.length).toBeLessThanOrEqual(Math.ceil(elapsedMs / 250) + 1);
    expect(deltas.length).toBeLessThan(60);
  });

  it('flags a learner failing after 3 failed commands and slow past K × the step median', async () => {
    const { app, base } = await aLiveServer();
    const w = await setUp(app, ['fast', 'slow', 'failing']);
    const [fast, slow, failing] = w.learners;
    for (const l of w.learners) await report(app, w.workshopId, l, { lesson: '01-hello', step: 0 });
    clock += 30_000;
    await report(app, w.workshopId, fast!, { lesson: '01-hello', step: 1 });
    const dash = await Client.open(`${base}/api/workshops/${w.workshopId}/live`);
    dash.send({ type: 'auth', secret: w.secret });
    await dash.next((m) => m.type === 'class');
    const from = dash.messages.length;
    for (let i = 0; i < 3; i++) await report(app, w.workshopId, failing!, { lesson: '01-hello', step: 0, command: 'docker rn x', exitCode: 1 });
    const delta = await dash.next(
      (m) =>
        m.type === 'learners' && (m.learners as { id: string; stuck: string }[]).some((r) => r.id === failing!.learner.id && r.stuck === 'failing'),
      from,
    );
    expect(delta).toBeDefined();
    dash.socket.close();
    await dash.closed;
    // The step's median is 30 s, so the floor (2 min) decides: 2 min 30 s on it is slow.
    clock += 2 * 60_000;
    const again = await Client.open(`${base}/api/workshops/${w.workshopId}/live`);
    again.send({ type: 'auth', secret: w.secret });
    const klass = await again.next((m) => m.type === 'class');
    const stuck = Object.fromEntries((klass.learners as { displayName: string; stuck: string | null }[]).map((r) => [r.displayName, r.stuck]));
    expect(stuck).toEqual({ fast: null, slow: 'slow', failing: 'failing' });
    expect(slow).toBeDefined();
  });

  it("flags by the workshop's own stuck settings, and flags anew at once when the instructor changes them", async () => {
    const { app, base } = await aLiveServer();
    const created = await app.inject({
      method: 'POST',
      url: '/api/workshops',
      payload: { title: 'Strict', lessons: ['01-hello'], stuckSettings: { failingCommands: 2, slowFloorMs: 20_000, slowFactor: 1.5 } },
    });
    const { workshop, instructorSecret } = created.json<{ workshop: { id: string; joinCode: string }; instructorSecret: string }>();
    const learners = [];
    for (const displayName of ['fast', 'slow', 'failing']) {
      const res = await app.inject({ method: 'POST', url: '/api/workshops/join', payload: { code: workshop.joinCode, displayName } });
      learners.push(res.json<{ learner: { id: string }; resumeToken: string }>());
    }
    const [fast, , failing] = learners;
    for (const l of learners) await report(app, workshop.id, l, { lesson: '01-hello', step: 0 });
    clock += 10_000;
    await report(app, workshop.id, fast!, { lesson: '01-hello', step: 1 });
    for (let i = 0; i < 2; i++) await report(app, workshop.id, failing!, { lesson: '01-hello', step: 0, command: 'docker rn x', exitCode: 1 });
    // 25 s on step 0, whose median is 10 s: past 1.5 × 10 s and the 20 s floor — slow here, not by the defaults (2 min).
    clock += 15_000;
    const dash = await Client.open(`${base}/api/workshops/${workshop.id}/live`);
    dash.send({ type: 'auth', secret: instructorSecret });
    const klass = await dash.next((m) => m.type === 'class');
    const flags = (rows: unknown) =>
      Object.fromEntries((rows as { displayName: string; stuck: string | null }[]).map((r) => [r.displayName, r.stuck]));
    expect(flags(klass.learners)).toEqual({ fast: null, slow: 'slow', failing: 'failing' });
    expect(klass.workshop).toMatchObject({ stuckSettings: { failingCommands: 2, slowFloorMs: 20_000, slowFactor: 1.5 } });

    // Back to the defaults: neither is stuck any more, and the dashboard hears it now, not at the next 5 s look.
    const from = dash.messages.length;
    const patched = await app.inject({
      method: 'PATCH',
      url: `/api/workshops/${workshop.id}`,
      headers: { 'x-instructor-secret': instructorSecret },
      payload: { stuckSettings: { failingCommands: 3, slowFloorMs: 120_000, slowFactor: 3 } },
    });
    expect(patched.statusCode).toBe(200);
    const settings = await dash.next((m) => m.type === 'workshop', from);
    expect(settings.workshop).toMatchObject({ stuckSettings: { failingCommands: 3, slowFloorMs: 120_000, slowFactor: 3 } });
    const delta = await dash.next((m) => m.type === 'learners', from, 2000);
    expect(flags(delta.learners)).toEqual({ slow: null, failing: null });
  });

  it('gives a learner their hints on connect and as sent, a reset, and the close — and only theirs', async () => {
    const { app, base } = await aLiveServer();
    const w = await setUp(app, ['Ada', 'Bob']);
    const [ada, bob] = w.learners;
    const hint = (text: string, learnerId?: string) =>
      app.inject({
        method: 'POST',
        url: `/api/workshops/${w.workshopId}/hints`,
        headers: { 'x-instructor-secret': w.secret },
        payload: { text, learnerId },
      });
    await hint('before: to all');
    await hint('before: to bob', bob!.learner.id);
    const url = (l: typeof ada) => `${base}/api/workshops/${w.workshopId}/learners/${l!.learner.id}/live`;
    // Another learner's token, the instructor's secret, no token: 4401 and nothing sent.
    for (const token of [bob!.resumeToken, w.secret, '']) {
      const c = await Client.open(url(ada));
      c.send({ type: 'auth', token });
      expect((await c.closed).code).toBe(4401);
      expect(c.messages).toEqual([]);
    }
    const a = await Client.open(url(ada));
    a.send({ type: 'auth', token: ada!.resumeToken });
    const b = await Client.open(url(bob));
    b.send({ type: 'auth', token: bob!.resumeToken });
    await a.next((m) => m.type === 'hint');
    await b.next((m) => m.type === 'hint' && (m.hint as { text: string }).text === 'before: to bob');
    await hint('<img src=x onerror=alert(1)>', ada!.learner.id);
    const got = await a.next((m) => m.type === 'hint' && (m.hint as { toAll: boolean }).toAll === false);
    expect(got.hint).toMatchObject({ text: '<img src=x onerror=alert(1)>', toAll: false, id: expect.any(String), at: clock });
    const reset = await app.inject({
      method: 'POST',
      url: `/api/workshops/${w.workshopId}/learners/${ada!.learner.id}/reset`,
      headers: { 'x-instructor-secret': w.secret },
    });
    expect(reset.json()).toEqual({ sandbox: 'session' });
    const r = await a.next((m) => m.type === 'reset');
    expect(r).toMatchObject({ session: { id: expect.stringMatching(/^[0-9a-f]{32}$/), token: expect.any(String) }, simulator: null });
    await app.inject({
      method: 'PATCH',
      url: `/api/workshops/${w.workshopId}`,
      headers: { 'x-instructor-secret': w.secret },
      payload: { closed: true },
    });
    const closed = await b.next((m) => m.type === 'workshop');
    expect((closed.workshop as { closedAt: number }).closedAt).toBe(clock);
    expect(JSON.stringify(closed)).not.toMatch(/joinCode|secret/i);
    expect(a.messages.map((m) => (m.type === 'hint' ? (m.hint as { text: string }).text : m.type))).toEqual([
      'before: to all',
      '<img src=x onerror=alert(1)>',
      'reset',
      'workshop',
    ]);
    expect(b.messages.map((m) => (m.type === 'hint' ? (m.hint as { text: string }).text : m.type))).toEqual([
      'before: to all',
      'before: to bob',
      'workshop',
    ]);
  });

  it('relays a watched learner’s state and output to the dashboard only, refusing oversized ones', { timeout: 20_000 }, async () => {
    const { app, base } = await aLiveServer();
    const w = await setUp(app, ['Ada', 'Bob']);
    const [ada, bob] = w.learners;
    const learner = async (l: typeof ada) => {
      const c = await Client.open(`${base}/api/workshops/${w.workshopId}/learners/${l!.learner.id}/live`);
      c.send({ type: 'auth', token: l!.resumeToken });
      await new Promise((r) => setTimeout(r, 100));
      return c;
    };
    const a = await learner(ada);
    const b = await learner(bob);
    a.send({ type: 'state', state: { containers: ['before watch'] } });
    const dash = await Client.open(`${base}/api/workshops/${w.workshopId}/live`);
    dash.send({ type: 'auth', secret: w.secret });
    await dash.next((m) => m.type === 'class');
    dash.send({ type: 'watch', learnerId: ada!.learner.id });
    expect(await dash.next((m) => m.type === 'watch')).toEqual({
      type: 'watch',
      learnerId: ada!.learner.id,
      state: { containers: ['before watch'] },
    });
    b.send({ type: 'output', command: 'bob runs', output: 'x', exitCode: 0 });
    a.send({ type: 'output', command: '<b>ls</b>', output: '\u001b[31mred\n', exitCode: 1 });
    // Bigger than the terminal socket's frames, within a state's cap: relayed whole.
    const big = { blob: 'b'.repeat(MAX_LEARNER_STATE_BYTES - 100) };
    a.send({ type: 'state', state: big });
    expect(await dash.next((m) => m.type === 'watch' && JSON.stringify(m.state).includes('bbbb'))).toEqual({
      type: 'watch',
      learnerId: ada!.learner.id,
      state: big,
    });
    expect(await dash.next((m) => m.type === 'output')).toEqual({
      type: 'output',
      learnerId: ada!.learner.id,
      command: '<b>ls</b>',
      output: '\u001b[31mred\n',
      exitCode: 1,
    });
    // Over the caps: refused to the learner, nothing relayed.
    a.send({ type: 'state', state: { blob: 'x'.repeat(MAX_LEARNER_STATE_BYTES) } });
    a.send({ type: 'output', command: 'cat big', output: 'y'.repeat(MAX_LEARNER_OUTPUT_BYTES + 1), exitCode: 0 });
    await a.next((m) => m.type === 'error', 0);
    await a.next((m) => m.type === 'error' && a.messages.filter((x) => x.type === 'error').length === 2);
    a.send({ type: 'state', state: { containers: ['after'] } });
    await dash.next((m) => m.type === 'watch' && JSON.stringify(m.state).includes('after'));
    expect(dash.messages.filter((m) => m.type === 'output' || m.type === 'watch')).toHaveLength(4);
    expect(JSON.stringify(dash.messages)).not.toContain('bob runs');
    // A frame far past any cap closes the learner's socket (1009) before the server holds it.
    const huge = await learner(ada);
    huge.send({ type: 'state', state: 'z'.repeat(2 * 1024 * 1024) });
    expect((await huge.closed).code).toBe(1009);
    dash.send({ type: 'unwatch' });
    a.send({ type: 'output', command: 'after unwatch', output: '', exitCode: 0 });
    await new Promise((r) => setTimeout(r, 200));
    expect(JSON.stringify(dash.messages)).not.toContain('after unwatch');
  });

  it(
    'handles what follows the auth once the auth passes — a reconnecting page’s watch, a learner’s state — and still refuses a second auth',
    { timeout: 20_000 },
    async () => {
      const { app, base } = await aLiveServer();
      const w = await setUp(app, ['Ada']);
      const [ada] = w.learners;
      // The learner's page reconnecting as a command ends: its state right behind its auth.
      const a = await Client.open(`${base}/api/workshops/${w.workshopId}/learners/${ada!.learner.id}/live`);
      a.sendTogether({ type: 'auth', token: ada!.resumeToken }, { type: 'state', state: { containers: ['right behind the auth'] } });
      // The dashboard reconnecting while it watches Ada (class-socket.ts sends the watch again at once).
      const dash = await Client.open(`${base}/api/workshops/${w.workshopId}/live`);
      dash.sendTogether({ type: 'auth', secret: w.secret }, { type: 'watch', learnerId: ada!.learner.id });
      await dash.next((m) => m.type === 'class');
      expect(await dash.next((m) => m.type === 'watch' && JSON.stringify(m.state).includes('right behind the auth'))).toEqual({
        type: 'watch',
        learnerId: ada!.learner.id,
        state: { containers: ['right behind the auth'] },
      });
      a.send({ type: 'output', command: 'docker ps', output: '', exitCode: 0 });
      await dash.next((m) => m.type === 'output');
      expect([a.socket.readyState, dash.socket.readyState]).toEqual([WebSocket.OPEN, WebSocket.OPEN]);
      // A second auth while the first is checked is a guess at the secret, not a page: refused.
      for (const [url, auth] of [
        [`${base}/api/workshops/${w.workshopId}/live`, { type: 'auth', secret: w.secret }],
        [`${base}/api/workshops/${w.workshopId}/learners/${ada!.learner.id}/live`, { type: 'auth', token: ada!.resumeToken }],
      ] as const) {
        const twice = await Client.open(url);
        twice.sendTogether(auth, auth);
        expect((await twice.closed).code).toBe(4401);
      }
      // As many as a page may send behind its auth all reach the watching dashboard, in order.
      const full = await Client.open(`${base}/api/workshops/${w.workshopId}/learners/${ada!.learner.id}/live`);
      full.sendTogether(
        { type: 'auth', token: ada!.resumeToken },
        ...Array.from({ length: MAX_HELD_MESSAGES }, (_, n) => ({ type: 'state', state: { n } })),
      );
      await dash.next((m) => m.type === 'watch' && JSON.stringify(m.state) === JSON.stringify({ n: MAX_HELD_MESSAGES - 1 }));
      expect(
        dash.messages.filter((m) => m.type === 'watch' && typeof (m.state as { n?: number }).n === 'number').map((m) => (m.state as { n: number }).n),
      ).toEqual(Array.from({ length: MAX_HELD_MESSAGES }, (_, n) => n));
      expect(full.socket.readyState).toBe(WebSocket.OPEN);
      // So is what no page sends, and a burst past what a page sends while it waits.
      const junk = await Client.open(`${base}/api/workshops/${w.workshopId}/live`);
      junk.sendTogether({ type: 'auth', secret: w.secret }, 'not json');
      expect((await junk.closed).code).toBe(4401);
      const flood = await Client.open(`${base}/api/workshops/${w.workshopId}/learners/${ada!.learner.id}/live`);
      flood.sendTogether(
        { type: 'auth', token: ada!.resumeToken },
        ...Array.from({ length: MAX_HELD_MESSAGES + 1 }, () => ({ type: 'state', state: { x: 1 } })),
      );
      expect((await flood.closed).code).toBe(4401);
    },
  );

  it('drops deltas for a dashboard that reads slowly and catches it up with one class snapshot', async () => {
    const { app, base } = await aLiveServer();
    const w = await setUp(app, ['Ada']);
    const [ada] = w.learners;
    const a = await Client.open(`${base}/api/workshops/${w.workshopId}/learners/${ada!.learner.id}/live`);
    a.send({ type: 'auth', token: ada!.resumeToken });
    const dash = await Client.open(`${base}/api/workshops/${w.workshopId}/live`);
    dash.send({ type: 'auth', secret: w.secret });
    await dash.next((m) => m.type === 'class');
    dash.send({ type: 'watch', learnerId: ada!.learner.id });
    await new Promise((r) => setTimeout(r, 100));
    // The dashboard stops reading; the learner sends 16 MiB of output.
    (dash.socket as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
    const sent = 1024;
    for (let i = 0; i < sent; i++) a.send({ type: 'output', command: `c${i}`, output: 'o'.repeat(MAX_LEARNER_OUTPUT_BYTES - 16), exitCode: 0 });
    await report(app, w.workshopId, ada!, { lesson: '01-hello', step: 2 });
    await new Promise((r) => setTimeout(r, 1500));
    (dash.socket as unknown as { _socket: { resume(): void } })._socket.resume();
    const snapshot = await dash.next((m) => m.type === 'class', 1, 10_000);
    expect((snapshot.learners as { position: { step: number } }[])[0]!.position.step).toBe(2);
    const outputs = dash.messages.filter((m) => m.type === 'output').length;
    expect(outputs).toBeGreaterThan(0);
    expect(outputs).toBeLessThan(sent);
  }, 20_000);
});
