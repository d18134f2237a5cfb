import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { FsWorkspace } from '../../sandbox-server/linux/fs-workspace.js';
import type { SessionContext } from '../../sandbox-server/sessions/session.js';
import { HealingEngine, SandboxUnreachable, SessionRenewed, type SessionNotice } from '../../src/client/healing-engine.js';
import { createRemoteEngine } from '../../src/client/remote-engine.js';
import type { SocketConstructor } from '../../src/client/session-socket.js';
import { createSimEngine } from '../../src/sim/create-sim-engine.js';
import { MemoryWorkspace } from '../../src/sim/memory-workspace.js';
import { aSandboxServer, type Harness } from '../sandbox/api-harness.js';

// The server's sessions run the simulator (the Linux backend's are the same engine): what is
// under test is what the page does when its session is gone or its server does not answer.
let harness: Harness;
let base: string;
beforeAll(async () => {
  harness = await aSandboxServer((session: SessionContext) => createSimEngine({ workspace: new FsWorkspace(session.root.filesDir) }));
  base = await harness.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(() => harness.close());

/** A page's fetch that remembers the sessions it was given, so a test can end one behind the page's back. */
function recordingFetch(down = { value: false }) {
  const sessions: { id: string; token: string }[] = [];
  const fetcher: typeof fetch = async (input, init) => {
    if (down.value) throw new TypeError('fetch failed');
    const res = await fetch(input, init);
    if (String(input).endsWith('/api/sessions') && res.status === 201) sessions.push((await res.clone().json()) as { id: string; token: string });
    return res;
  };
  return { fetcher, sessions, down };
}

const endSession = (s: { id: string; token: string }) =>
  fetch(`${base}/api/sessions/${s.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${s.token}` } });

describe("the page's engine heals its session", () => {
  for (const transport of ['WebSocket', 'HTTP'] as const) {
    it(`a session deleted on the server is replaced, and the command then runs on the new one (${transport})`, async () => {
      const { fetcher, sessions } = recordingFetch();
      const open = () =>
        createRemoteEngine({
          baseUrl: base,
          fetch: fetcher,
          ...(transport === 'WebSocket' ? { WebSocket: WebSocket as unknown as SocketConstructor } : {}),
        });
      const notices: SessionNotice[] = [];
      const engine = new HealingEngine(await open(), { open, notify: (n) => notices.push(n) });
      const events: string[] = [];
      engine.subscribe((e) => events.push(e.type));
      try {
        expect((await engine.exec('docker create --name first busybox')).exitCode).toBe(0);
        const before = (await engine.state()).seq!;
        expect((await endSession(sessions[0]!)).status).toBe(204);

        await expect(engine.exec('docker ps -a')).rejects.toBeInstanceOf(SessionRenewed);
        expect(notices).toEqual([{ kind: 'renewed' }]);
        expect(sessions).toHaveLength(2);
        // The new session is empty, and its snapshots count on from the old one's.
        const after = await engine.state();
        expect(after.containers).toEqual([]);
        expect(after.seq).toBeGreaterThan(before);
        // The islands are told the engine changed (the picture reads the new, empty state).
        expect(events).toContain('engine.replaced');
        // The subscription made before the replacement hears the new engine's events.
        events.length = 0;
        const result = await engine.exec('docker create --name second busybox');
        expect(result.exitCode).toBe(0);
        expect(events).toContain('command.finished');
        expect((await engine.state()).containers.map((c) => c.name)).toEqual(['second']);
      } finally {
        await engine.dispose();
      }
    });
  }

  it('a state read that finds the session gone replaces it too, once for every caller', async () => {
    const { fetcher, sessions } = recordingFetch();
    const open = () => createRemoteEngine({ baseUrl: base, fetch: fetcher });
    const notices: SessionNotice[] = [];
    const engine = new HealingEngine(await open(), { open, notify: (n) => notices.push(n) });
    try {
      await endSession(sessions[0]!);
      const states = await Promise.all([engine.state(), engine.state(), engine.state()]);
      expect(states.map((s) => s.containers.length)).toEqual([0, 0, 0]);
      expect(notices).toEqual([{ kind: 'renewed' }]);
      expect(sessions).toHaveLength(2);
    } finally {
      await engine.dispose();
    }
  });

  it('an unreachable server is said, the command is not lost, and the simulator takes over when chosen', async () => {
    const { fetcher, down } = recordingFetch();
    const open = () => createRemoteEngine({ baseUrl: base, fetch: fetcher });
    const notices: SessionNotice[] = [];
    const engine = new HealingEngine(await open(), {
      open,
      simulate: async () => createSimEngine({ workspace: new MemoryWorkspace([]) }),
      notify: (n) => notices.push(n),
    });
    try {
      down.value = true;
      const failed = await engine.exec('docker run busybox echo hi').catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(SandboxUnreachable);
      expect(notices).toEqual([{ kind: 'unreachable' }]);
      await engine.useSimulator();
      expect(notices.at(-1)).toEqual({ kind: 'simulator' });
      const result = await engine.exec('docker run busybox echo hi');
      expect([result.exitCode, result.stdout]).toEqual([0, 'hi\n']);
      // The build context follows the engine: the editor's next write lands in the simulator.
      await engine.workspace!.write('Dockerfile', new TextEncoder().encode('FROM busybox\n'));
      expect(await engine.current.workspace!.read('Dockerfile')).toBeDefined();
    } finally {
      down.value = false;
      await engine.dispose();
    }
  });

  it("an instructor's reset replaces a live session, and says who reset it — not that it ended by itself", async () => {
    const { fetcher, sessions } = recordingFetch();
    const open = () => createRemoteEngine({ baseUrl: base, fetch: fetcher });
    const notices: SessionNotice[] = [];
    const engine = new HealingEngine(await open(), { open, notify: (n) => notices.push(n) });
    try {
      expect((await engine.exec('docker create --name mine busybox')).exitCode).toBe(0);
      await engine.resetByInstructor();
      expect(notices).toEqual([{ kind: 'resetByInstructor' }]);
      expect(sessions).toHaveLength(2);
      expect((await engine.state()).containers).toEqual([]);
    } finally {
      await engine.dispose();
    }
  });

  it('a session the server refuses to replace (full) falls back to the simulator', async () => {
    const { fetcher, sessions } = recordingFetch();
    const open = () => createRemoteEngine({ baseUrl: base, fetch: fetcher });
    const notices: SessionNotice[] = [];
    let opens = 0;
    const engine = new HealingEngine(await open(), {
      open: async () => {
        opens++;
        throw Object.assign(new Error('full'), { code: 'SERVER_FULL' });
      },
      simulate: async () => createSimEngine({ workspace: new MemoryWorkspace([]) }),
      fallsBack: (e) => (e as { code?: string }).code === 'SERVER_FULL',
      notify: (n) => notices.push(n),
    });
    try {
      await endSession(sessions[0]!);
      await expect(engine.exec('docker ps')).rejects.toBeInstanceOf(SessionRenewed);
      expect([opens, notices]).toEqual([1, [{ kind: 'simulator' }]]);
      expect((await engine.exec('docker run busybox echo sim')).stdout).toBe('sim\n');
    } finally {
      await engine.dispose();
    }
  });
});
