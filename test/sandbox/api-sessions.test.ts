import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ScriptedEngine, echoScript, untilInterrupted } from './api-scripted-engine.js';
import { aSandboxServer, command, createSession, type Harness } from './api-harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const scripted = () => aSandboxServer(async () => new ScriptedEngine(echoScript));

describe('sandbox API: sessions', () => {
  it('creates a session: 201 with an id, a token and the idle timeout, its own state root and engine', async () => {
    harness = await scripted();
    const res = await harness.app.inject({ method: 'POST', url: '/api/sessions' });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(['id', 'idleTimeoutMs', 'token']);
    // The page keeps its session alive by it (src/client/session-keepalive.ts).
    expect(body.idleTimeoutMs).toBe(harness.app.sandboxSessions.limits.idleTimeoutMs);
    expect(body.id).toMatch(/^[0-9a-f]{32}$/);
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(harness.engines).toHaveLength(1);
    expect(harness.engines[0]!.session.root.path).toBe(join(harness.stateDir, 'sessions', body.id));
    expect(existsSync(harness.engines[0]!.session.root.filesDir)).toBe(true);
  });

  it('runs a command in the session and answers stdout, stderr and the exit code', async () => {
    harness = await scripted();
    const s = await createSession(harness.app);
    const res = await command(harness.app, s, 'docker run busybox echo hi');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ stdout: 'hi\n', stderr: '', exitCode: 0 });
  });

  it('gives every response a request id', async () => {
    harness = await scripted();
    const res = await harness.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reports the number of sessions in /api/health', async () => {
    harness = await scripted();
    await createSession(harness.app);
    await createSession(harness.app);
    const res = await harness.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.json()).toMatchObject({ backend: 'linux', sessions: { available: true, capacity: 300, inUse: 2, free: 298 } });
  });

  it('deletes a session: 204, its engine disposed, its state root gone, its token dead', async () => {
    harness = await scripted();
    const s = await createSession(harness.app);
    const { session, engine } = harness.engines[0]!;
    const res = await harness.app.inject({ method: 'DELETE', url: `/api/sessions/${s.id}`, headers: s.auth });
    expect(res.statusCode).toBe(204);
    expect((engine as ScriptedEngine).disposed).toBe(true);
    expect(existsSync(session.root.path)).toBe(false);
    expect((await command(harness.app, s, 'docker ps')).statusCode).toBe(404);
  });

  it('answers 503 SANDBOX_UNAVAILABLE where no engine can run, so the site uses its simulator', async () => {
    harness = await aSandboxServer(undefined);
    const res = await harness.app.inject({ method: 'POST', url: '/api/sessions' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ error: { code: 'SANDBOX_UNAVAILABLE', message: expect.stringContaining('simulator') } });
    const health = await harness.app.inject({ method: 'GET', url: '/api/health' });
    expect(health.json()).toMatchObject({ backend: 'sim', sessions: { available: false, inUse: 0 } });
  });

  it('answers 503 when the engine fails to start, and leaves no state root behind', async () => {
    harness = await aSandboxServer(async () => {
      throw new Error('runc: cgroup v2 not mounted');
    });
    const res = await harness.app.inject({ method: 'POST', url: '/api/sessions' });
    expect(res.statusCode).toBe(503);
    expect(res.json().error.code).toBe('SANDBOX_UNAVAILABLE');
    expect(res.body).not.toContain('cgroup');
    expect(readdirSync(join(harness.stateDir, 'sessions'))).toEqual([]);
  });

  it('refuses sessions past its capacity with 503 SERVER_FULL, and health says how full it is', async () => {
    harness = await aSandboxServer(async () => new ScriptedEngine(echoScript), { limits: { maxSessions: 2 } });
    await createSession(harness.app, '10.0.0.1');
    await createSession(harness.app, '10.0.0.2');
    const res = await harness.app.inject({ method: 'POST', url: '/api/sessions', remoteAddress: '10.0.0.3' });
    expect(res.statusCode).toBe(503);
    expect(res.json().error).toMatchObject({ code: 'SERVER_FULL', message: expect.stringContaining('full') });
    const health = (await harness.app.inject({ method: 'GET', url: '/api/health' })).json();
    expect(health.sessions).toMatchObject({ capacity: 2, inUse: 2, free: 0 });
  });

  it('caps live sessions per client address (429 TOO_MANY_SESSIONS), counting ones being set up, and frees a slot on delete', async () => {
    let release: (() => void) | undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    harness = await aSandboxServer(
      async () => {
        await gate;
        return new ScriptedEngine(echoScript);
      },
      { limits: { maxSessionsPerAddress: 2 } },
    );
    const app = harness.app;
    // Two creations still setting up already hold both slots of the address.
    const pending = [createSession(app, '10.0.0.1'), createSession(app, '10.0.0.1')];
    await vi.waitFor(() => expect(harness!.app.sandboxSessions.sessionsOf('10.0.0.1')).toBe(2));
    const third = await app.inject({ method: 'POST', url: '/api/sessions', remoteAddress: '10.0.0.1' });
    expect(third.statusCode).toBe(429);
    expect(third.json().error).toMatchObject({ code: 'TOO_MANY_SESSIONS', message: expect.stringContaining('LAYERLAB_SESSIONS_PER_ADDRESS') });
    release!();
    const [first] = await Promise.all(pending);
    // Another address is not affected.
    await expect(createSession(app, '10.0.0.2')).resolves.toMatchObject({ id: expect.any(String) });
    expect((await app.inject({ method: 'DELETE', url: `/api/sessions/${first!.id}`, headers: first!.auth })).statusCode).toBe(204);
    await expect(createSession(app, '10.0.0.1')).resolves.toMatchObject({ id: expect.any(String) });
  });

  it('bounds session creation per client address (429 with Retry-After), not for others', async () => {
    harness = await aSandboxServer(async () => new ScriptedEngine(echoScript), { limits: { createBurst: 2, createPerMinute: 1 } });
    await createSession(harness.app, '10.0.0.1');
    await createSession(harness.app, '10.0.0.1');
    const res = await harness.app.inject({ method: 'POST', url: '/api/sessions', remoteAddress: '10.0.0.1' });
    expect(res.statusCode).toBe(429);
    expect(res.json().error.code).toBe('RATE_LIMITED');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    await expect(createSession(harness.app, '10.0.0.2')).resolves.toMatchObject({ id: expect.any(String) });
  });

  it('expires a session idle past the limit, but not one running a command', async () => {
    let now = 1_000_000;
    let finishSleep: (() => void) | undefined;
    harness = await aSandboxServer(
      async () =>
        new ScriptedEngine(async (line, opts) => {
          if (line.includes('sleep')) {
            await new Promise<void>((resolve) => (finishSleep = resolve));
            return { stdout: '', stderr: '', exitCode: 0 };
          }
          return echoScript(line, opts, () => undefined);
        }),
      { now: () => now, limits: { idleTimeoutMs: 30 * 60_000 } },
    );
    const idle = await createSession(harness.app);
    const busy = await createSession(harness.app);
    const sleeping = command(harness.app, busy, 'docker run busybox sleep 3600');
    await vi.waitFor(() => expect(finishSleep).toBeDefined());

    now += 29 * 60_000;
    expect(harness.engines).toHaveLength(2);
    // Used just before the limit: the clock restarts.
    expect((await command(harness.app, idle, 'docker run busybox echo still here')).statusCode).toBe(200);
    now += 29 * 60_000;
    expect((await harness.app.inject({ method: 'GET', url: '/api/health' })).json().sessions.inUse).toBe(2);

    now += 2 * 60_000;
    const health = async () => (await harness!.app.inject({ method: 'GET', url: '/api/health' })).json().sessions.inUse;
    await sweep(harness);
    expect(await health()).toBe(1);
    expect((await command(harness.app, idle, 'docker ps')).statusCode).toBe(404);
    expect(existsSync(harness.engines[0]!.session.root.path)).toBe(false);

    finishSleep!();
    expect((await sleeping).statusCode).toBe(200);
    now += 31 * 60_000;
    await sweep(harness);
    expect(await health()).toBe(0);
  });

  it('removes every session when the server closes', async () => {
    harness = await scripted();
    await createSession(harness.app);
    await createSession(harness.app);
    const roots = harness.engines.map((e) => e.session.root.path);
    await harness.app.close();
    expect(harness.engines.every((e) => (e.engine as ScriptedEngine).disposed)).toBe(true);
    expect(roots.filter((root) => existsSync(root))).toEqual([]);
  });

  it('sweeps session roots a crashed run left behind, before serving', async () => {
    const first = await scripted();
    await createSession(first.app);
    const leftover = first.engines[0]!.session.root.path;
    // A crash: no close, the state dir stays. The next server on the same state dir cleans it.
    const second = await aSandboxServer(async () => new ScriptedEngine(echoScript), { stateDir: first.stateDir });
    expect(existsSync(leftover)).toBe(false);
    expect(second.logs.some((line) => line.includes('removed the state of sessions from an earlier run'))).toBe(true);
    await second.close();
    await first.close();
  });

  it("refuses a state dir another live server holds, and takes over a crashed one's", async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'layerlab-lock-'));
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      writeFileSync(join(stateDir, 'server.pid'), `${other.pid}\n`);
      await expect(aSandboxServer(async () => new ScriptedEngine(echoScript), { stateDir })).rejects.toThrow(
        `another Layerlab server (pid ${other.pid}) uses the state dir ${stateDir}`,
      );
    } finally {
      other.kill('SIGKILL');
      await new Promise((resolve) => other.once('exit', resolve));
    }
    // Its pid no longer runs: a crashed server's lock.
    harness = await aSandboxServer(async () => new ScriptedEngine(echoScript), { stateDir });
    expect(readFileSync(join(stateDir, 'server.pid'), 'utf8')).toBe(`${process.pid}\n`);
    await harness.app.close();
    expect(existsSync(join(stateDir, 'server.pid'))).toBe(false);
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('interrupts a running command when its session is deleted', async () => {
    harness = await aSandboxServer(async () => new ScriptedEngine((_line, opts) => untilInterrupted(opts)));
    const s = await createSession(harness.app);
    const running = command(harness.app, s, 'docker run busybox sleep 3600');
    await vi.waitFor(() => expect((harness!.engines[0]!.engine as ScriptedEngine).commands).toHaveLength(1));
    expect((await harness.app.inject({ method: 'DELETE', url: `/api/sessions/${s.id}`, headers: s.auth })).statusCode).toBe(204);
    expect((await running).json()).toEqual({ stdout: '', stderr: '', exitCode: 130 });
  });
});

async function sweep(h: Harness): Promise<void> {
  // The sweeper runs on an interval; the test drives the same sweep directly.
  await h.app.sandboxSessions.sweep();
}
