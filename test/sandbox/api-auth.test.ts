import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ScriptedEngine, echoScript } from './api-scripted-engine.js';
import { aSandboxServer, command, createSession, type Created, type Harness } from './api-harness.js';

let harness: Harness;
let alice: Created;
let bob: Created;
beforeEach(async () => {
  harness = await aSandboxServer(async () => new ScriptedEngine(echoScript));
  alice = await createSession(harness.app);
  bob = await createSession(harness.app);
});
afterEach(() => harness.close());

const NO_SUCH_SESSION = { error: { code: 'NO_SUCH_SESSION', message: 'no such session (it may have expired)' } };

describe("sandbox API: one learner can never see or touch another one's session", () => {
  const routes = (id: string) => [
    { method: 'POST' as const, url: `/api/sessions/${id}/commands`, payload: { command: 'docker ps' } },
    { method: 'GET' as const, url: `/api/sessions/${id}/state` },
    { method: 'GET' as const, url: `/api/sessions/${id}/files` },
    { method: 'PUT' as const, url: `/api/sessions/${id}/files/Dockerfile`, payload: 'FROM busybox\n' },
    { method: 'GET' as const, url: `/api/sessions/${id}/files/Dockerfile` },
    { method: 'DELETE' as const, url: `/api/sessions/${id}/files/Dockerfile` },
    { method: 'DELETE' as const, url: `/api/sessions/${id}` },
  ];

  it('answers 401 without a token, on every session route', async () => {
    for (const route of routes(alice.id)) {
      const res = await harness.app.inject(route);
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
      expect(res.json().error.code).toBe('UNAUTHORIZED');
      expect(res.headers['www-authenticate']).toBe('Bearer realm="layerlab"');
    }
  });

  it("answers the same 404 for another session's token, a wrong token and an unknown id", async () => {
    const attempts = [
      { id: alice.id, headers: bob.auth },
      { id: alice.id, headers: { authorization: 'Bearer not-the-token' } },
      { id: alice.id, headers: { authorization: `Bearer ${alice.token}x` } },
      { id: '0'.repeat(32), headers: alice.auth },
      { id: 'not-a-session-id', headers: alice.auth },
    ];
    for (const { id, headers } of attempts) {
      for (const route of routes(id)) {
        const res = await harness.app.inject({ ...route, headers });
        expect(res.statusCode, `${route.method} ${route.url}`).toBe(404);
        expect(res.json()).toEqual(NO_SUCH_SESSION);
      }
    }
    // Nothing reached either engine, and alice's session is still there.
    expect(harness.engines.map((e) => (e.engine as ScriptedEngine).commands)).toEqual([[], []]);
    expect((await command(harness.app, alice, 'docker run busybox echo still mine')).json().stdout).toBe('still mine\n');
  });

  it('refuses a malformed Authorization header with 401', async () => {
    for (const authorization of ['Basic Zm9vOmJhcg==', 'Bearer', `Token ${alice.token}`, `Bearer ${alice.token} extra`]) {
      const res = await harness.app.inject({ method: 'GET', url: `/api/sessions/${alice.id}/state`, headers: { authorization } });
      expect(res.statusCode, authorization).toBe(401);
    }
  });

  it("keeps each session's files to itself", async () => {
    await harness.app.inject({ method: 'PUT', url: `/api/sessions/${alice.id}/files/secret.txt`, headers: alice.auth, payload: 'alice' });
    const own = await harness.app.inject({ method: 'GET', url: `/api/sessions/${bob.id}/files/secret.txt`, headers: bob.auth });
    expect(own.statusCode).toBe(404);
    expect(own.json().error.code).toBe('NO_SUCH_FILE');
    const list = await harness.app.inject({ method: 'GET', url: `/api/sessions/${bob.id}/files`, headers: bob.auth });
    expect(list.json()).toEqual({ files: [] });
  });

  it('never writes a token to the log', async () => {
    await harness.app.inject({ method: 'GET', url: `/api/sessions/${alice.id}/state`, headers: alice.auth });
    await harness.app.inject({ method: 'GET', url: `/api/sessions/${alice.id}/state`, headers: bob.auth });
    const log = harness.logs.join('');
    const completed = harness.logs.map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'request completed' && entry.session);
    expect(completed.map((entry) => entry.session)).toContain(alice.id);
    expect(log).toContain('"reqId"');
    expect(log).not.toContain(alice.token);
    expect(log).not.toContain(bob.token);
  });
});

describe('sandbox API: bad input is a 4xx with a JSON error, never a crash', () => {
  const post = (payload: string, contentType = 'application/json') =>
    harness.app.inject({
      method: 'POST',
      url: `/api/sessions/${alice.id}/commands`,
      headers: { ...alice.auth, 'content-type': contentType },
      payload,
    });

  it.each([
    { name: 'truncated JSON', payload: '{"command": ', status: 400, code: 'INVALID_JSON' },
    { name: 'an empty body', payload: '', status: 400, code: 'INVALID_JSON' },
    { name: 'no command', payload: '{}', status: 400, code: 'INVALID_REQUEST' },
    { name: 'a number', payload: '{"command": 42}', status: 400, code: 'INVALID_REQUEST' },
    { name: 'an empty command', payload: '{"command": ""}', status: 400, code: 'INVALID_REQUEST' },
    { name: 'a blank command', payload: '{"command": "   "}', status: 400, code: 'INVALID_REQUEST' },
    { name: 'an unknown key', payload: '{"command": "docker ps", "sudo": true}', status: 400, code: 'INVALID_REQUEST' },
    {
      name: 'a 9000-character command',
      payload: JSON.stringify({ command: `docker run busybox echo ${'x'.repeat(9000)}` }),
      status: 400,
      code: 'INVALID_REQUEST',
    },
    { name: 'an array', payload: '[1, 2]', status: 400, code: 'INVALID_REQUEST' },
  ])('$name → $status $code', async ({ payload, status, code }) => {
    const res = await post(payload);
    expect(res.statusCode).toBe(status);
    expect(res.json()).toEqual({ error: { code, message: expect.any(String) } });
    expect(res.body).not.toMatch(/\bat .*\.(ts|js):\d+/);
  });

  it('names the problem in the message', async () => {
    expect((await post('{}')).json().error.message).toBe("body must have required property 'command'");
  });

  it('refuses a body in an unknown media type with 415', async () => {
    const res = await post('command=docker ps', 'application/x-www-form-urlencoded');
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers an unknown API path with a JSON 404, not the site', async () => {
    for (const url of ['/api/nope', `/api/sessions/${alice.id}/nope`, '/api/sessions']) {
      const res = await harness.app.inject({ method: 'GET', url, headers: alice.auth });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
    }
  });

  it('refuses a session-creation body with options it does not know', async () => {
    const res = await harness.app.inject({ method: 'POST', url: '/api/sessions', payload: { image: 'ubuntu' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('INVALID_REQUEST');
  });
});
