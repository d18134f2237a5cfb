import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { FsWorkspace } from '../../sandbox-server/linux/fs-workspace.js';
import { engineLimits } from '../../sandbox-server/sessions/session-limits.js';
import type { SessionContext } from '../../sandbox-server/sessions/session.js';
import { createSimEngine } from '../../src/sim/create-sim-engine.js';
import { aSandboxServer, command, createSession, type Created, type Harness } from './api-harness.js';

/**
 * Every class of input the API refuses, against the real server app on the simulator:
 * each answers a clear 4xx (`{error:{code,message}}`) or, for a command, Docker's words
 * with an exit code and the typed error's code — never a 500.
 */
let harness: Harness;
let s: Created;
const simSession = (session: SessionContext) =>
  createSimEngine({ workspace: new FsWorkspace(session.root.filesDir), limits: engineLimits(session.limits) });

beforeAll(async () => {
  harness = await aSandboxServer(simSession, { limits: { maxFileBytes: 64 * 1024 } });
  s = await createSession(harness.app);
});
afterAll(() => harness.close());

const post = (payload: string, contentType = 'application/json') =>
  harness.app.inject({ method: 'POST', url: `/api/sessions/${s.id}/commands`, headers: { ...s.auth, 'content-type': contentType }, payload });
const put = (path: string, payload: string | Buffer) =>
  harness.app.inject({ method: 'PUT', url: `/api/sessions/${s.id}/files/${path}`, headers: s.auth, payload });

describe('refused requests are clear 4xx answers', () => {
  it.each([
    ['malformed JSON', () => post('{"command":'), 400, 'INVALID_JSON'],
    ['a body that is not JSON', () => post('docker ps', 'text/plain'), 400, 'INVALID_REQUEST'],
    ['a command that is not a string', () => post(JSON.stringify({ command: 5 })), 400, 'INVALID_REQUEST'],
    ['an unknown field', () => post(JSON.stringify({ command: 'docker ps', sudo: true })), 400, 'INVALID_REQUEST'],
    ['a blank command', () => post(JSON.stringify({ command: '   ' })), 400, 'INVALID_REQUEST'],
    [
      'a command past the length limit',
      () => post(JSON.stringify({ command: `docker run busybox echo ${'x'.repeat(9000)}` })),
      400,
      'INVALID_REQUEST',
    ],
    ['a body past the size limit', () => post(JSON.stringify({ command: 'x'.repeat(2 * 1024 * 1024) })), 413, 'PAYLOAD_TOO_LARGE'],
    ['a file path out of the context', () => put('..%2F..%2Fetc%2Fpasswd', 'x'), 400, 'INVALID_PATH'],
    ['an absolute file path', () => put('%2Fetc%2Fpasswd', 'x'), 400, 'INVALID_PATH'],
    ['a NUL byte in a file path', () => put('a%00b', 'x'), 400, 'INVALID_PATH'],
    ['a file past the size limit', () => put('big', Buffer.alloc(65 * 1024)), 413, 'PAYLOAD_TOO_LARGE'],
    [
      'a file read that is not there',
      () => harness.app.inject({ method: 'GET', url: `/api/sessions/${s.id}/files/nope`, headers: s.auth }),
      404,
      'NO_SUCH_FILE',
    ],
    [
      'a wrong token',
      () => harness.app.inject({ method: 'GET', url: `/api/sessions/${s.id}/state`, headers: { authorization: 'Bearer nope' } }),
      404,
      'NO_SUCH_SESSION',
    ],
    ['a malformed session id', () => harness.app.inject({ method: 'GET', url: '/api/sessions/%00/state', headers: s.auth }), 404, 'NO_SUCH_SESSION'],
  ] as const)('%s → %i %s', async (_name, request, status, code) => {
    const res = await request();
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json().error).toEqual({ code, message: expect.any(String) });
  });
});

describe('refused commands are Docker-like results with a code, never a 500', () => {
  it.each([
    // Paths out of the context (the session's files).
    ['docker load -i ../../etc/passwd', 1, 'WORKSPACE_PATH'],
    // The builder reports what failed it as BuildKit does, under its own code.
    ['docker build -f ../Dockerfile .', 1, 'BUILD_FAILED'],
    ['docker build ../..', 1, 'BUILD_FAILED'],
    // NUL bytes: no shell can pass one to docker.
    ['docker run -e A=\0B busybox true', 2, 'NUL_IN_COMMAND'],
    ['docker run busybox echo "\0"', 2, 'NUL_IN_COMMAND'],
    ['docker save -o a\0b busybox', 2, 'NUL_IN_COMMAND'],
    // Bad sizes and limits.
    ['docker run -m lots busybox true', 125, 'INVALID_FLAG_VALUE'],
    ['docker run --pids-limit many busybox true', 125, 'INVALID_FLAG_VALUE'],
    ['docker run -m 1 busybox true', 125, 'INVALID_RESOURCE_LIMIT'],
    // Shapes the parse refuses.
    ['docker run "busybox', 2, 'UNTERMINATED_QUOTE'],
    ['rm -rf /', 127, 'NOT_DOCKER'],
    ['docker --host tcp://x ps', 1, 'UNSUPPORTED_GLOBAL_OPTION'],
  ] as const)('%j → exit %i %s', async (line, exitCode, code) => {
    const res = await command(harness.app, s, line);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ exitCode, error: { code } });
    expect(res.json().stderr).toMatch(/^(docker: |Error response from daemon: |ERROR: |layerlab: |invalid argument|unknown)/m);
  });

  it('refuses `save -o` out of the context (WORKSPACE_PATH) and writes nothing there', async () => {
    // An image the simulator can save (its busybox holds a binary it only knows by digest).
    expect((await put('f', 'x')).statusCode).toBe(204);
    expect((await put('Dockerfile', 'FROM scratch\nCOPY f /f\n')).statusCode).toBe(204);
    expect((await command(harness.app, s, 'docker build -q -t small .')).json().exitCode).toBe(0);
    for (const line of ['docker save -o ../../x small', 'docker save -o ../x small']) {
      const res = await command(harness.app, s, line);
      expect(res.statusCode, `${line}: ${res.body}`).toBe(200);
      expect(res.json(), line).toMatchObject({ exitCode: 1, error: { code: 'WORKSPACE_PATH' } });
    }
    expect((await command(harness.app, s, 'docker save -o small.tar small')).json().exitCode).toBe(0);
  });

  it('refuses the same over the WebSocket: a NUL byte in a command, a malformed frame', async () => {
    const base = (await harness.app.listen({ host: '127.0.0.1', port: 0 })).replace('http', 'ws');
    const socket = new WebSocket(`${base}/api/sessions/${s.id}/ws`, { headers: s.auth });
    const messages: { type: string; exitCode?: number; error?: { code: string } }[] = [];
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    socket.on('message', (data) => messages.push(JSON.parse(String(data))));
    const until = async (found: () => boolean) => {
      for (let i = 0; i < 200 && !found(); i++) await new Promise((r) => setTimeout(r, 10));
    };
    socket.send('{"type":');
    await until(() => messages.some((m) => m.type === 'error'));
    expect(messages.find((m) => m.type === 'error')?.error?.code).toMatch(/^INVALID_/);
    socket.send(JSON.stringify({ type: 'command', id: 'c1', command: 'docker run -e A=\0 busybox true' }));
    await until(() => messages.some((m) => m.type === 'exit'));
    expect(messages.find((m) => m.type === 'exit')).toMatchObject({ exitCode: 2, error: { code: 'NUL_IN_COMMAND' } });
    socket.close();
  });
});
