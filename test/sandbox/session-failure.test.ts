import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Drivers } from '../../src/engine/engine.js';
import type { ProcessIO } from '../../src/engine/drivers/runtime.js';
import { createSimEngine } from '../../src/sim/create-sim-engine.js';
import { aSandboxServer, command, createSession, type Created, type Harness } from './api-harness.js';
import { closeSockets, open } from './ws-terminal.js';

/** A failing session is removed in the background; a loaded machine may take seconds. */
const WAIT = { timeout: 15_000, interval: 50 };

let harness: Harness | undefined;
afterEach(async () => {
  closeSockets();
  await harness?.close();
  harness = undefined;
});

/** `target` with some methods replaced; the others still called on it. */
function overriding<T extends object>(target: T, overrides: Partial<T>): T {
  return new Proxy(target, {
    get(t, prop, receiver) {
      if (Object.hasOwn(overrides, prop)) return overrides[prop as keyof T];
      const value = Reflect.get(t, prop, receiver) as unknown;
      return typeof value === 'function' ? value.bind(t) : value;
    },
  });
}

/**
 * A server whose first session gets drivers `broken` wraps — the fault injected through the
 * engine factory — and every other session the plain simulator.
 */
async function serverWithOneBrokenSession(broken: (drivers: Drivers) => Drivers): Promise<{ bad: Created; good: Created }> {
  let made = 0;
  harness = await aSandboxServer((session) =>
    createSimEngine({ onFailure: (error) => session.fail(error), ...(made++ === 0 ? { decorate: broken } : {}) }),
  );
  const bad = await createSession(harness.app, '10.0.0.1');
  const good = await createSession(harness.app, '10.0.0.2');
  return { bad, good };
}

/** The broken session is gone with a clear word, its state removed; the other one still runs containers. */
async function expectOnlyTheBrokenSessionFailed(bad: Created, good: Created, cause: RegExp): Promise<void> {
  const app = harness!.app;
  await vi.waitFor(async () => expect((await command(app, bad, 'docker ps')).statusCode).toBe(410), WAIT);
  const gone = (await command(app, bad, 'docker ps')).json();
  expect(gone.error.code).toBe('SESSION_FAILED');
  expect(gone.error.message).toMatch(cause);
  expect(gone.error.message).toMatch(/reload the page/);
  // Only its learner learns why; another token gets the usual silence.
  const stranger = await app.inject({
    method: 'POST',
    url: `/api/sessions/${bad.id}/commands`,
    headers: good.auth,
    payload: { command: 'docker ps' },
  });
  expect(stranger.statusCode).toBe(404);
  await vi.waitFor(() => expect(existsSync(harness!.engines[0]!.session.root.path)).toBe(false), WAIT);
  const ok = await command(app, good, 'docker run --rm busybox echo ok');
  expect(ok.statusCode).toBe(200);
  expect(ok.json()).toMatchObject({ stdout: 'ok\n', exitCode: 0 });
  expect((await app.inject({ method: 'GET', url: '/api/health' })).json().sessions.inUse).toBe(1);
}

describe('one session fails, the server and the others keep going', () => {
  it("a detached container's runtime wait that rejects (its exit handler)", async () => {
    const { bad, good } = await serverWithOneBrokenSession((d) => ({
      ...d,
      runtime: overriding(d.runtime, {
        start: async (id: string) => {
          const handle = await d.runtime.start(id);
          return { ...handle, wait: () => handle.wait().then(() => Promise.reject(new Error('the runtime lost the container'))) };
        },
      }),
    }));
    const run = await command(harness!.app, bad, 'docker run -d busybox true');
    expect(run.statusCode).toBe(200);
    await expectOnlyTheBrokenSessionFailed(bad, good, /the runtime lost the container/);
  });

  it('an --rm removal that fails after a detached container exits', async () => {
    const { bad, good } = await serverWithOneBrokenSession((d) => ({
      ...d,
      snapshotter: overriding(d.snapshotter, { remove: () => Promise.reject(new Error('snapshot store is corrupt')) }),
    }));
    expect((await command(harness!.app, bad, 'docker run -d --rm busybox true')).statusCode).toBe(200);
    await expectOnlyTheBrokenSessionFailed(bad, good, /snapshot store is corrupt/);
  });

  it("a runtime's output stream that hands the engine something that is not bytes", async () => {
    const { bad, good } = await serverWithOneBrokenSession((d) => ({
      ...d,
      runtime: overriding(d.runtime, {
        create: (spec, io: ProcessIO) => {
          // From a timer of the driver's own, as a pipe's 'data' handler would call it.
          setTimeout(() => io.stdout('not bytes' as unknown as Uint8Array), 20);
          return d.runtime.create(spec, io);
        },
      }),
    }));
    expect((await command(harness!.app, bad, 'docker run -d busybox sleep 5')).statusCode).toBe(200);
    await expectOnlyTheBrokenSessionFailed(bad, good, /ArrayBuffer|Uint8Array|argument/);
  });

  it("a terminal socket that can not send an engine event (the session's WebSocket handler)", async () => {
    const { bad, good } = await serverWithOneBrokenSession((d) => ({
      ...d,
      runtime: overriding(d.runtime, {
        start: async (id: string) => {
          const handle = await d.runtime.start(id);
          // An exit status JSON can not carry: the socket's send throws inside the engine's emit.
          return { ...handle, wait: () => handle.wait().then(() => 1n as unknown as number) };
        },
      }),
    }));
    const base = (await harness!.app.listen({ host: '127.0.0.1', port: 0 })).replace('http', 'ws');
    const terminal = await open(`${base}/api/sessions/${bad.id}/ws`, { headers: bad.auth });
    terminal.send({ type: 'command', id: 'c1', command: 'docker run -d busybox true' });
    const failed = await terminal.next((m) => m.type === 'error' && m.error.code === 'SESSION_FAILED');
    expect(failed).toMatchObject({ error: { message: expect.stringMatching(/BigInt/) } });
    await expectOnlyTheBrokenSessionFailed(bad, good, /BigInt/);
  });
});
