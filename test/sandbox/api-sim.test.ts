import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { FsWorkspace } from '../../sandbox-server/linux/fs-workspace.js';
import type { SessionContext } from '../../sandbox-server/sessions/session.js';
import { createSimEngine } from '../../src/sim/create-sim-engine.js';
import { stateSchema } from '../../src/engine/state.js';
import { engineLimits } from '../../sandbox-server/sessions/session-limits.js';
import { aSandboxServer, command, createSession, type Created, type Harness } from './api-harness.js';

/** The whole API on the simulator: what a learner's commands mean, through HTTP. */
let harness: Harness;
let alice: Created;
let bob: Created;
// As on Linux, the engine's build context is the session's files dir the files API writes.
const simSession = (session: SessionContext) =>
  createSimEngine({ workspace: new FsWorkspace(session.root.filesDir), limits: engineLimits(session.limits) });

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

  it("answers Docker's own error and exit code for a bad command, as a normal result", async () => {
    const res = await command(harness.app, alice, 'docker run nosuchimage-xyz');
    expect(res.statusCode).toBe(200);
    expect(res.json().exitCode).toBe(125);
    expect(res.json().stderr).toContain('nosuchimage-xyz');
  });

  it("answers the state snapshot in the browser's schema, with the session's containers", async () => {
    const snapshot = await state(alice);
    expect(snapshot.backend).toBe('sim');
    expect(snapshot.images.flatMap((i) => i.repoTags)).toContain('busybox:latest');
    expect(snapshot.containers.map((c) => c.command)).toContain('echo hi');
  });

  it("keeps sessions apart: one learner's containers are not in another's engine", async () => {
    await command(harness.app, bob, 'docker create --name bobs busybox');
    expect((await state(bob)).containers.map((c) => c.name)).toEqual(['bobs']);
    expect((await state(alice)).containers.map((c) => c.name)).not.toContain('bobs');
    const ps = await command(harness.app, alice, 'docker ps -a --format {{.Names}}');
    expect(ps.json().stdout).not.toContain('bobs');
  });

  it("builds the Dockerfile the learner uploaded: `docker build` reads the files API's context", async () => {
    const put = (path: string, body: string) =>
      harness.app.inject({ method: 'PUT', url: `/api/sessions/${alice.id}/files/${path}`, headers: alice.auth, payload: body });
    expect((await put('Dockerfile', 'FROM busybox\nCOPY motd /etc/motd\nCMD ["cat", "/etc/motd"]\n')).statusCode).toBe(204);
    expect((await put('motd', 'built through the API\n')).statusCode).toBe(204);
    const build = await command(harness.app, alice, 'docker build -t motd .');
    expect(build.json().exitCode).toBe(0);
    expect((await command(harness.app, alice, 'docker run --rm motd')).json()).toEqual({
      stdout: 'built through the API\n',
      stderr: '',
      exitCode: 0,
    });
    expect((await state(alice)).images.flatMap((i) => i.repoTags)).toContain('motd:latest');
  });

  it('enforces the container limit on real `docker run`s, and frees a slot on `docker rm`', async () => {
    const h = await aSandboxServer(simSession, { limits: { maxContainersPerSession: 2 } });
    try {
      const s = await createSession(h.app);
      expect((await command(h.app, s, 'docker run --name one busybox true')).json().exitCode).toBe(0);
      expect((await command(h.app, s, 'docker run --name two busybox true')).json().exitCode).toBe(0);
      const refused = (await command(h.app, s, 'docker run --name three busybox true')).json();
      expect(refused).toMatchObject({ exitCode: 125, error: { code: 'CONTAINER_LIMIT', details: { max: 2 } } });
      expect(refused.stderr).toContain(
        'docker: Error response from daemon: layerlab: this sandbox may have at most 2 containers; remove some with `docker rm`',
      );
      expect((await command(h.app, s, 'docker rm one')).json()).toEqual({ stdout: 'one\n', stderr: '', exitCode: 0 });
      expect((await command(h.app, s, 'docker run --name three busybox true')).json().exitCode).toBe(0);
    } finally {
      await h.close();
    }
  });

  it('counts the parsed command, so no quoting or alias gets a container past the cap', async () => {
    const h = await aSandboxServer(simSession, { limits: { maxContainersPerSession: 1 } });
    try {
      const s = await createSession(h.app);
      expect((await command(h.app, s, 'docker run -d --name one busybox sleep 100')).json().exitCode).toBe(0);
      // Each of these once started a container past the cap: the server split the raw line on spaces.
      const lines: [string, string][] = [
        [`docker 'run' -d busybox sleep 100`, 'CONTAINER_LIMIT'],
        [`"docker" r""un -d busybox sleep 100`, 'CONTAINER_LIMIT'],
        ['docker container create busybox', 'CONTAINER_LIMIT'],
        // One word with a space in it names no command, as in Docker.
        [String.raw`docker container\ run -d busybox`, 'UNKNOWN_COMMAND'],
      ];
      for (const [line, code] of lines) {
        const res = await command(h.app, s, line);
        expect(res.statusCode, `${line}: ${res.body}`).toBe(200);
        expect(res.json().error?.code, line).toBe(code);
      }
      expect((await command(h.app, s, 'docker ps -aq')).json().stdout.trim().split('\n')).toHaveLength(1);
      // Side by side, all but the free slots are refused.
      await command(h.app, s, 'docker rm -f one');
      const racing = await Promise.all([1, 2, 3].map(() => command(h.app, s, `docker "run" -d busybox sleep 100`)));
      expect(racing.map((r) => r.json().exitCode).sort()).toEqual([0, 125, 125]);
      expect((await command(h.app, s, 'docker ps -aq')).json().stdout.trim().split('\n')).toHaveLength(1);
    } finally {
      await h.close();
    }
  });

  it('runs one `docker build` at a time per session (BUILD_LIMIT)', async () => {
    const h = await aSandboxServer(simSession, { limits: { maxConcurrentBuilds: 1 } });
    try {
      const s = await createSession(h.app);
      const put = (path: string, body: string) =>
        h.app.inject({ method: 'PUT', url: `/api/sessions/${s.id}/files/${path}`, headers: s.auth, payload: body });
      await put('Dockerfile', 'FROM busybox\nRUN sleep 1\n');
      const first = command(h.app, s, 'docker build --no-cache .');
      await new Promise((r) => setTimeout(r, 100));
      const second = (await command(h.app, s, `docker image 'build' .`)).json();
      expect(second).toMatchObject({ exitCode: 1, error: { code: 'BUILD_LIMIT', details: { max: 1 } } });
      expect(second.stderr).toBe('ERROR: layerlab: this sandbox runs at most 1 build at a time; wait for the running one to finish\n');
      expect((await first).json().exitCode).toBe(0);
      expect((await command(h.app, s, 'docker build .')).json().exitCode).toBe(0);
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
      expect(
        received
          .filter((m) => m.type === 'stdout')
          .map((m) => m.data)
          .join(''),
      ).toBe('from the terminal\n');
      expect(received.at(-1)).toEqual({ type: 'exit', id: 'sh', exitCode: 0 });
      expect(received.filter((m) => m.type === 'event').map((m) => m.event!.type)).toEqual(
        expect.arrayContaining(['command.started', 'container.created', 'container.status', 'command.finished']),
      );
    } finally {
      await h.close();
    }
  });
});
