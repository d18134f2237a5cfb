import { afterEach, describe, expect, it } from 'vitest';
import { FsWorkspace } from '../../sandbox-server/linux/fs-workspace.js';
import { engineLimits } from '../../sandbox-server/sessions/session-limits.js';
import { createSimEngine } from '../../src/sim/create-sim-engine.js';
import { missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';
import { aSandboxServer, command, createSession, type Harness } from './api-harness.js';

const run = requirePrereqs('linux', missingLinuxPrereqs());

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe.skipIf(!run)('sandbox API on Linux: a full session disk is a clear refusal (root)', () => {
  it("answers `docker save -o` into a full disk with the command's error (NO_SPACE), not a 500", async () => {
    harness = await aSandboxServer(
      async (session) => createSimEngine({ workspace: new FsWorkspace(session.root.filesDir), limits: engineLimits(session.limits) }),
      { tmpfs: true, limits: { stateBytes: 256 * 1024, maxFileBytes: 100 * 1024 } },
    );
    const s = await createSession(harness.app);
    const put = (name: string, bytes: Buffer) =>
      harness!.app.inject({ method: 'PUT', url: `/api/sessions/${s.id}/files/${name}`, headers: s.auth, payload: bytes });
    expect((await put('blob', Buffer.alloc(90 * 1024, 7))).statusCode).toBe(204);
    expect((await put('Dockerfile', Buffer.from('FROM scratch\nCOPY blob /blob\n'))).statusCode).toBe(204);
    expect((await command(harness.app, s, 'docker build -q -t big .')).json().exitCode).toBe(0);
    expect((await put('filler', Buffer.alloc(100 * 1024, 1))).statusCode).toBe(204);

    const res = await command(harness.app, s, 'docker save -o big.tar big');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ exitCode: 1, error: { code: 'NO_SPACE' }, stderr: expect.stringContaining('no space left on device') });
    // The session goes on: freeing space lets the same command succeed.
    await harness.app.inject({ method: 'DELETE', url: `/api/sessions/${s.id}/files/filler`, headers: s.auth });
    expect((await command(harness.app, s, 'docker save -o big.tar big')).json().exitCode).toBe(0);
  });
});
