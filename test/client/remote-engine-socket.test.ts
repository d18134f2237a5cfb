import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { FsWorkspace } from '../../sandbox-server/linux/fs-workspace.js';
import type { SessionContext } from '../../sandbox-server/sessions/session.js';
import { createRemoteEngine } from '../../src/client/remote-engine.js';
import type { SocketConstructor } from '../../src/client/session-socket.js';
import type { Engine } from '../../src/engine/engine.js';
import type { EngineEvent } from '../../src/engine/events.js';
import { createSimEngine } from '../../src/sim/create-sim-engine.js';
import { MemoryWorkspace } from '../../src/sim/memory-workspace.js';
import { aSandboxServer, type Harness } from '../sandbox/api-harness.js';

// The server's sessions run the simulator here (the Linux backend's are the same engine);
// what is under test is the path of the events: engine → session socket → remote engine.
let harness: Harness;
let base: string;
beforeAll(async () => {
  harness = await aSandboxServer((session: SessionContext) => createSimEngine({ workspace: new FsWorkspace(session.root.filesDir) }));
  base = await harness.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(() => harness.close());

const remote = () => createRemoteEngine({ baseUrl: base, fetch, WebSocket: WebSocket as unknown as SocketConstructor });
const encode = (text: string) => new TextEncoder().encode(text);

/**
 * An engine's events, with what differs between two engines by design named by order:
 * a build's random buildId, and an image's ID (its config holds the time it was created).
 */
function recorded(engine: Engine): EngineEvent[] {
  const events: EngineEvent[] = [];
  const names = new Map<string, string>();
  const name = (kind: string, id: string) => {
    if (!names.has(id)) names.set(id, `${kind}-${[...names.values()].filter((n) => n.startsWith(kind)).length + 1}`);
    return names.get(id)!;
  };
  engine.subscribe((e) => {
    if ('buildId' in e) e = { ...e, buildId: name('build', e.buildId) };
    if (e.type === 'build.done' && e.imageId) e = { ...e, imageId: name('image', e.imageId) };
    if (e.type.startsWith('image.') && 'id' in e) e = { ...e, id: name('image', e.id) } as EngineEvent;
    events.push(e);
  });
  return events;
}

const DOCKERFILE = 'FROM busybox\nCOPY hello.txt /hello.txt\nRUN echo one > /one.txt\n';

describe('remote engine over the session WebSocket', () => {
  it("re-emits a build's events exactly as the in-page simulator emits them, in order, output streamed", async () => {
    const local = await createSimEngine({ workspace: new MemoryWorkspace([]) });
    const engine = await remote();
    try {
      const localEvents = recorded(local);
      const remoteEvents = recorded(engine);
      for (const e of [local, engine]) {
        await e.workspace!.write('Dockerfile', encode(DOCKERFILE));
        await e.workspace!.write('hello.txt', encode('hello, layers\n'));
      }
      const streamed: string[] = [];
      const result = await engine.exec('docker build -t my-image .', { stdout: (t) => streamed.push(t), stderr: (t) => streamed.push(t) });
      await local.exec('docker build -t my-image .');
      expect(result.exitCode).toBe(0);
      expect(streamed.join('')).toBe(result.stdout + result.stderr);
      expect(streamed.join('')).toContain('naming to docker.io/library/my-image');

      const steps = remoteEvents.filter((e) => e.type.startsWith('build.'));
      expect(steps.map((e) => e.type)).toEqual([
        'build.step.started',
        'build.step.done',
        'build.step.started',
        'build.step.done',
        'build.step.started',
        'build.step.done',
        'build.done',
      ]);
      // The layers are the same bytes on both (same diffIDs), so the whole stream is equal.
      expect(remoteEvents).toEqual(localEvents);
      expect(remoteEvents[0]).toEqual({ type: 'command.started', command: 'docker build -t my-image .' });
      expect(remoteEvents.at(-1)).toEqual({ type: 'command.finished', command: 'docker build -t my-image .', exitCode: 0 });

      // An edit to the third instruction: the second comes from the cache, with its layer.
      await engine.workspace!.write('Dockerfile', encode(DOCKERFILE.replace('one', 'uno')));
      remoteEvents.length = 0;
      await engine.exec('docker build -t my-image .');
      const copy = steps.find((e) => e.type === 'build.step.done' && e.step === 2) as Extract<EngineEvent, { type: 'build.step.done' }>;
      expect(
        remoteEvents.filter((e) => e.type.startsWith('build.step.') && e.type !== 'build.step.started').map((e) => [e.type, 'step' in e && e.step]),
      ).toEqual([
        ['build.step.done', 1],
        ['build.step.cached', 2],
        ['build.step.done', 3],
      ]);
      expect(remoteEvents.find((e) => e.type === 'build.step.cached')).toMatchObject({ diffId: copy.diffId });
    } finally {
      await engine.dispose();
      await local.dispose();
    }
    // Three builds on two simulators and a server: a few hundred ms alone, seconds on a busy CI machine.
  }, 30_000);

  it('marks a failed RUN with its exit code', async () => {
    const engine = await remote();
    try {
      const events = recorded(engine);
      await engine.workspace!.write('Dockerfile', encode('FROM busybox\nRUN exit 3\n'));
      const result = await engine.exec('docker build .');
      expect(result.exitCode).toBe(1);
      expect(events.find((e) => e.type === 'build.step.failed')).toMatchObject({ step: 2, exitCode: 3 });
    } finally {
      await engine.dispose();
    }
  });

  it('forwards Ctrl-C as an interrupt message: the command ends with 130', async () => {
    const engine = await remote();
    try {
      const controller = new AbortController();
      const pending = engine.exec('docker run busybox sleep 100', { signal: controller.signal });
      await new Promise((r) => setTimeout(r, 200));
      controller.abort();
      expect((await pending).exitCode).toBe(130);
    } finally {
      await engine.dispose();
    }
  });

  it('reports a command the server stopped at its time limit as exit 124, with the reason, as over HTTP', async () => {
    const limited = await aSandboxServer((session: SessionContext) => createSimEngine({ workspace: new FsWorkspace(session.root.filesDir) }), {
      limits: { commandTimeoutMs: 100 },
    });
    const engine = await createRemoteEngine({
      baseUrl: await limited.app.listen({ host: '127.0.0.1', port: 0 }),
      fetch,
      WebSocket: WebSocket as unknown as SocketConstructor,
    });
    try {
      const err: string[] = [];
      const result = await engine.exec('docker run busybox sleep 100', { stderr: (t) => err.push(t) });
      expect(result.exitCode).toBe(124);
      expect(result.stderr).toContain('time limit');
      expect(err.join('')).toBe(result.stderr);
    } finally {
      await engine.dispose();
      await limited.close();
    }
  });

  it('falls back to HTTP when the upgrade is refused, emitting the command events itself', async () => {
    class Refused {
      readonly readyState = 3;
      readonly protocol = '';
      private listeners = new Map<string, (e: object) => void>();
      constructor() {
        setTimeout(() => this.listeners.get('error')?.({}), 0);
      }
      send(): void {}
      close(): void {}
      addEventListener(type: string, listener: (e: object) => void): void {
        this.listeners.set(type, listener);
      }
    }
    const engine = await createRemoteEngine({ baseUrl: base, fetch, WebSocket: Refused as unknown as SocketConstructor });
    try {
      const events = recorded(engine);
      expect(await engine.exec('docker run busybox echo hi')).toEqual({ stdout: 'hi\n', stderr: '', exitCode: 0 });
      expect(events.map((e) => e.type)).toEqual(['command.started', 'command.finished']);
    } finally {
      await engine.dispose();
    }
  });
});
