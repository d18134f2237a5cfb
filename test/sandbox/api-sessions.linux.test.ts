import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../sandbox-server/linux/command.js';
import { missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';
import { ScriptedEngine, echoScript } from './api-scripted-engine.js';
import { aSandboxServer, createSession, type Harness } from './api-harness.js';

const run = requirePrereqs('linux', missingLinuxPrereqs());

const mountsUnder = (dir: string) =>
  readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((mountPoint): mountPoint is string => mountPoint !== undefined && (mountPoint === dir || mountPoint.startsWith(`${dir}/`)));

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe.skipIf(!run)('sandbox API on Linux: session state roots (root)', () => {
  it('gives each session its own tmpfs, and the tmpfs size is its disk quota (507 QUOTA_EXCEEDED)', async () => {
    harness = await aSandboxServer(async () => new ScriptedEngine(echoScript), {
      tmpfs: true,
      limits: { stateBytes: 256 * 1024, maxFileBytes: 100 * 1024 },
    });
    const s = await createSession(harness.app);
    const root = harness.engines[0]!.session.root;
    expect(root.tmpfs).toBe(true);
    const line = readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .find((l) => l.split(' ')[4] === root.path);
    expect(line).toMatch(/ - tmpfs tmpfs .*size=256k/);

    const put = (name: string) =>
      harness!.app.inject({ method: 'PUT', url: `/api/sessions/${s.id}/files/${name}`, headers: s.auth, payload: Buffer.alloc(100 * 1024, 1) });
    expect((await put('one')).statusCode).toBe(204);
    expect((await put('two')).statusCode).toBe(204);
    const full = await put('three');
    expect(full.statusCode).toBe(507);
    expect(full.json().error.code).toBe('QUOTA_EXCEEDED');
    // The failed write left nothing half-written behind.
    const list = await harness.app.inject({ method: 'GET', url: `/api/sessions/${s.id}/files`, headers: s.auth });
    expect(list.json().files.map((f: { path: string }) => f.path)).toEqual(['one', 'two']);
  });

  it('leaves no mount and no dir after a delete, even with mounts the engine left inside the root', async () => {
    harness = await aSandboxServer(
      async (session) => {
        // Stands in for a container rootfs the engine failed to unmount.
        const inner = join(session.root.path, 'leftover');
        mkdirSync(inner);
        await runCommand('mount', ['-t', 'tmpfs', 'tmpfs', inner]);
        return new ScriptedEngine(echoScript);
      },
      { tmpfs: true },
    );
    const s = await createSession(harness.app);
    const root = harness.engines[0]!.session.root.path;
    expect(mountsUnder(root)).toHaveLength(2);
    expect((await harness.app.inject({ method: 'DELETE', url: `/api/sessions/${s.id}`, headers: s.auth })).statusCode).toBe(204);
    expect(mountsUnder(root)).toEqual([]);
    expect(existsSync(root)).toBe(false);
  });

  it('sweeps the mounted roots of a crashed run at the next start', async () => {
    const crashed = await aSandboxServer(async () => new ScriptedEngine(echoScript), { tmpfs: true });
    await createSession(crashed.app);
    await createSession(crashed.app);
    const sessionsDir = join(crashed.stateDir, 'sessions');
    expect(mountsUnder(sessionsDir)).toHaveLength(2);
    // No close: the next server on the same state dir finds the mounts and removes them.
    const next = await aSandboxServer(async () => new ScriptedEngine(echoScript), { tmpfs: true, stateDir: crashed.stateDir });
    expect(mountsUnder(sessionsDir)).toEqual([]);
    expect(readdirSync(sessionsDir)).toEqual([]);
    await next.close();
    await crashed.close();
  });
});
