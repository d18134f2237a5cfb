import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sessionCgroupPath } from '../../sandbox-server/linux/cgroups.js';
import { useLinuxSandboxApp } from '../support/linux-sandbox-app.js';
import { missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';
import { command, createSession, type Created } from './api-harness.js';

const run = requirePrereqs('linux', missingLinuxPrereqs());

const mountsUnder = (dir: string) =>
  readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((mountPoint): mountPoint is string => mountPoint !== undefined && mountPoint.startsWith(`${dir}/`));

/** A cgroup in every hierarchy (v1 controllers, or the v2 unified tree). */
const cgroupDirsOf = (path: string) =>
  ['', ...readdirSync('/sys/fs/cgroup')].map((h) => join('/sys/fs/cgroup', h, path)).filter((dir) => existsSync(dir));

describe.skipIf(!run)('sandbox API on real containers (root)', () => {
  const sandbox = useLinuxSandboxApp('layerlab-api-linux-');
  let alice: Created;
  let bob: Created;

  beforeAll(async () => {
    const { app } = sandbox;
    alice = await createSession(app);
    bob = await createSession(app);
  });

  it("runs a learner's `docker run busybox echo hi` in a real container", async () => {
    const res = await command(sandbox.app, alice, 'docker run busybox echo hi');
    expect(res.json()).toEqual({ stdout: 'hi\n', stderr: '', exitCode: 0 });
    const state = (await sandbox.app.inject({ method: 'GET', url: `/api/sessions/${alice.id}/state`, headers: alice.auth })).json();
    expect(state.backend).toBe('linux');
    expect(state.containers).toHaveLength(1);
  });

  it('builds an uploaded Dockerfile with a RUN step in real containers', async () => {
    const put = await sandbox.app.inject({
      method: 'PUT',
      url: `/api/sessions/${alice.id}/files/Dockerfile`,
      headers: alice.auth,
      payload: 'FROM busybox\nRUN echo made by RUN > /made\nCMD ["cat", "/made"]\n',
    });
    expect(put.statusCode).toBe(204);
    expect((await command(sandbox.app, alice, 'docker build -t made .')).json().exitCode).toBe(0);
    expect((await command(sandbox.app, alice, 'docker run --rm made')).json()).toEqual({ stdout: 'made by RUN\n', stderr: '', exitCode: 0 });
  });

  it("isolates two sessions: one learner sees neither the other's containers nor their files", async () => {
    await command(sandbox.app, bob, 'docker run --name bobs busybox sh -c "echo secret > /tmp/bob"');
    const ps = await command(sandbox.app, alice, 'docker ps -a --format {{.Names}}');
    expect(ps.json().stdout).not.toContain('bobs');
    const look = await command(sandbox.app, alice, 'docker run busybox cat /tmp/bob');
    expect(look.json().exitCode).not.toBe(0);
    const roots = (await sandbox.app.inject({ method: 'GET', url: '/api/health' })).json().sessions.inUse;
    expect(roots).toBe(2);
  });

  it('leaves no mount, no dir and no cgroup of a deleted session', async () => {
    const root = join(sandbox.stateDir, 'sessions', bob.id);
    expect(existsSync(root)).toBe(true);
    const state = (await sandbox.app.inject({ method: 'GET', url: `/api/sessions/${bob.id}/state`, headers: bob.auth })).json();
    const ids: string[] = state.containers.map((c: { id: string }) => c.id);
    expect(ids).toHaveLength(1);
    const res = await sandbox.app.inject({ method: 'DELETE', url: `/api/sessions/${bob.id}`, headers: bob.auth });
    expect(res.statusCode).toBe(204);
    expect(existsSync(root)).toBe(false);
    expect(mountsUnder(root)).toEqual([]);
    // The containers' cgroups are inside the session's, which goes with the session.
    const session = sessionCgroupPath(root);
    expect(ids.map((id) => `${session}/${id}`).flatMap(cgroupDirsOf)).toEqual([]);
    expect(cgroupDirsOf(session)).toEqual([]);
  });
});
