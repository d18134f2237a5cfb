import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { FsWorkspace } from '../../cli/fs-workspace.js';
import type { SessionContext } from '../../sandbox-server/sessions/session.js';
import { createSimEngine } from '../../src/sim/create-sim-engine.js';
import { stateSchema } from '../../src/engine/state.js';
import { aSandboxServer, command, createSession, type Created, type Harness } from './api-harness.js';

/** The whole API on the simulator: what a learner's commands mean, through HTTP. */
let harness: Harness;
let alice: Created;
let bob: Created;
// As on Linux, the engine's build context is the session's files dir the files API writes.
const simSession = (session: SessionContext) => createSimEngine({ workspace: new FsWorkspace(session.root.filesDir) });

beforeAll(async () => {
  harness = await aSandboxServer(simSession);
  alice = await createSession(harness.app);
  bob = await createSession(harness.app);
});
afterAll(() => harness.close());

const state = async (s: Created) => {
  const res = await harness.app.inject({ method: 'GET', url: `/api/sessions/${s.id}/state`, headers: s.auth });
  expect(res.statusCode).toBe(200);
  return stateSchema.parse(res.json());
};

describe('sandbox API on the simulator', () => {
  it('runs `docker run busybox echo hi`', async () => {
    const res = await command(harness.app, alice, 'docker run busybox echo hi');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ stdout: 'hi\n', stderr: '', exitCode: 0 });
  });

  it('answers Docker\'s own error and exit code for a bad command, as a normal result', async () => {
    const res = await command(harness.app, alice, 'docker run nosuchimage-xyz');
    expect(res.statusCode).toBe(200);
    expect(res.json().exitCode).toBe(125);
    expect(res.json().stderr).toContain('nosuchimage-xyz');
  });

  it('answers the state snapshot in the browser\'s schema, with the session\'s containers', async () => {
    const snapshot = await state(alice);
    expect(snapshot.backend).toBe('sim');
    expect(snapshot.images.flatMap((i) => i.repoTags)).toContain('busybox:latest');
    expect(snapshot.containers.map((c) => c.command)).toContain('echo hi');
  });

  it('keeps sessions apart: one learner\'s containers are not in another\'s engine', async () => {
    await command(harness.app, bob, 'docker create --name bobs busybox');
    expect((await state(bob)).containers.map((c) => c.name)).toEqual(['bobs']);
    expect((await state(alice)).containers.map((c) => c.name)).not.toContain('bobs');
    const ps = await command(harness.app, alice, 'docker ps -a --format {{.Names}}');
    expect(ps.json().stdout).not.toContain('bobs');
  });

  it('builds the Dockerfile the learner uploaded: `docker build` reads the files API\'s context', async () => {
    const put = (path: string, body: string) =>
      harness.app.inject({ method: 'PUT', url: `/api/sessions/${alice.id}/files/${path}`, headers: alice.auth, payload: body });
    expect((await put('Dockerfile', 'FROM busybox\nCOPY motd /etc/motd\nCMD ["cat", "/etc/motd"]\n')).statusCode).toBe(204);
    expect((await put('motd', 'built through the API\n')).statusCode).toBe(204);
    const build = await command(harness.app, alice, 'docker build -t motd .');
    expect(build.json().exitCode).toBe(0);
    expect((await command(harness.app, alice, 'docker run --rm motd')).json()).toEqual({ stdout: 'built through the API\n', stderr: '', exitCode: 0 });
    expect((await state(alice)).images.flatMap((i) => i.repoTags)).toContain('motd:latest');
  });

  it('enforces the container limit on real `docker run`s, and frees a slot on `docker rm`', async () => {
    const h = await aSandboxServer(simSession, { limits: { maxContainersPerSession: 2 } });
    try {
      const s = await createSession(h.app);
      expect((await command(h.app, s, 'docker run --name one busybox true')).json().exitCode).toBe(0);
      expect((await command(h.app, s, 'docker run --name two busybox true')).json().exitCode).toBe(0);
      expect((await command(h.app, s, 'docker run --name three busybox true')).json().error.code).toBe('CONTAINER_LIMIT');
      expect((await command(h.app, s, 'docker rm one')).json()).toEqual({ stdout: 'one\n', stderr: '', exitCode: 0 });
      expect((await command(h.app, s, 'docker run --name three busybox true')).json().exitCode).toBe(0);
    } finally {
      await h.close();
    }
  });

  it('runs an interactive shell over the WebSocket: stdin in, streamed output and events out', async () => {
    const h = await aSandboxServer(simSession);
    try {
      const base = (await h.app.listen({ host: '127.0.0.1', port: 0 })).replace('http', 'ws');
      const s = await createSession(h.app);
      const socket = new WebSocket(`${base}/api/sessions/${s.id}/ws`, { headers: s.auth });
      const received: { type: string; data?: string; exitCode?: number; event?: { type: string } }[] = [];
      const exited = new Promise<void>((resolve) =>
        socket.on('message', (data) => {
          const message = JSON.parse(data.toString());
          received.push(message);
          if (message.type === 'exit') resolve();
        }),
      );
      await new Promise((resolve) => socket.once('open', resolve));
      socket.send(JSON.stringify({ type: 'command', id: 'sh', command: 'docker run -i busybox sh', interactive: true }));
      socket.send(JSON.stringify({ type: 'stdin', id: 'sh', data: 'echo from the terminal\n' }));
      socket.send(JSON.stringify({ type: 'stdin.end', id: 'sh' }));
      await exited;
      socket.close();
      expect(received.filter((m) => m.type === 'stdout').map((m) => m.data).join('')).toBe('from the terminal\n');
      expect(received.at(-1)).toEqual({ type: 'exit', id: 'sh', exitCode: 0 });
      expect(received.filter((m) => m.type === 'event').map((m) => m.event!.type)).toEqual(
        expect.arrayContaining(['command.started', 'container.created', 'container.status', 'command.finished']),
      );
    } finally {
      await h.close();
    }
  });
});
