import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { missingRegistryPrereqs, requirePrereqs } from '../support/prereqs.js';
import { useLinuxSandboxApp } from '../support/linux-sandbox-app.js';
import { registryPaths } from '../../sandbox-server/linux/registry-config.js';
import { workshopPrefix } from '../../sandbox-server/linux/registry-names.js';

const run = requirePrereqs('registry', missingRegistryPrereqs());

type Result = { stdout: string; stderr: string; exitCode: number };
type Learner = { run: (command: string) => Promise<Result>; handle: string; id: string; resumeToken: string; sessionId: string; token: string };

describe.skipIf(!run)("a workshop's class namespace through the workshop API, on runc", () => {
  const sandbox = useLinuxSandboxApp('layerlab-registry-class-', { maxSessions: 8, maxSessionsPerAddress: 8 }, { registry: true, workshops: {} });

  const inject = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    sandbox.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });

  const runner = (sessionId: string, token: string) => async (command: string) => {
    const res = await inject('POST', `/api/sessions/${sessionId}/commands`, { command }, { authorization: `Bearer ${token}` });
    expect(res.statusCode, command).toBe(200);
    return res.json<Result>();
  };

  async function createWorkshop(body: Record<string, unknown> = {}) {
    const res = await inject('POST', '/api/workshops', { title: 'Registries', lessons: ['12-registry'], ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ workshop: { id: string; joinCode: string; sharedRegistry: boolean }; instructorSecret: string }>();
  }

  async function joinAs(code: string, displayName: string): Promise<Learner> {
    const res = await inject('POST', '/api/workshops/join', { code, displayName });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json<{ learner: { id: string; handle: string }; resumeToken: string; session: { id: string; token: string } | null }>();
    expect(body.session, 'a sandbox session').not.toBeNull();
    return {
      run: runner(body.session!.id, body.session!.token),
      handle: body.learner.handle,
      id: body.learner.id,
      resumeToken: body.resumeToken,
      sessionId: body.session!.id,
      token: body.session!.token,
    };
  }

  const setShared = (id: string, secret: string, open: boolean) =>
    inject('PATCH', `/api/workshops/${id}`, { sharedRegistry: open }, { 'x-instructor-secret': secret });

  it('lets a learner pull and run what a neighbour pushed, never overwrite it, and keeps everyone else out', async () => {
    const { workshop, instructorSecret } = await createWorkshop();
    expect(workshop.sharedRegistry).toBe(false);
    const alice = await joinAs(workshop.joinCode, 'Alice');
    const bob = await joinAs(workshop.joinCode, 'Bob');
    expect([alice.handle, bob.handle]).toEqual(['alice-1', 'bob-2']);
    const image = `localhost:5000/class/${alice.handle}/app:v1`;

    // Alice builds an image of her own.
    const files = { Dockerfile: 'FROM busybox\nCOPY note.txt /note.txt\nCMD ["cat", "/note.txt"]\n', 'note.txt': 'built by alice\n' };
    for (const [name, text] of Object.entries(files)) {
      const put = await inject('PUT', `/api/sessions/${alice.sessionId}/files/${name}`, Buffer.from(text), {
        authorization: `Bearer ${alice.token}`,
        'content-type': 'application/octet-stream',
      });
      expect(put.statusCode).toBeLessThan(300);
    }
    expect((await alice.run(`docker build -q -t ${image} .`)).exitCode).toBe(0);

    // Closed by default: refused in a registry's words.
    const closed = await alice.run(`docker push ${image}`);
    expect(closed.exitCode).toBe(1);
    expect(closed.stderr).toBe("denied: the instructor has not opened this workshop's class namespace (localhost:5000/class/)\n");

    // Only the instructor's secret opens it.
    expect((await setShared(workshop.id, 'not-the-secret', true)).statusCode).toBe(403);
    const opened = await setShared(workshop.id, instructorSecret, true);
    expect(opened.statusCode, opened.body).toBe(200);
    expect(opened.json().workshop.sharedRegistry).toBe(true);

    const push = await alice.run(`docker push ${image}`);
    expect(push.exitCode, push.stderr).toBe(0);
    expect(push.stdout).toContain(`The push refers to repository [localhost:5000/class/${alice.handle}/app]`);
    const digest = /v1: digest: (sha256:[0-9a-f]{64})/.exec(push.stdout)?.[1];
    expect(digest).toBeDefined();

    // Bob pulls it and runs it.
    const pulled = await bob.run(`docker pull ${image}`);
    expect(pulled.exitCode, pulled.stderr).toBe(0);
    expect(pulled.stdout).toContain(`Digest: ${digest}`);
    expect((await bob.run(`docker run --rm ${image}`)).stdout).toBe('built by alice\n');

    // Bob cannot push over Alice's tag, nor into her part under another name.
    expect((await bob.run(`docker tag busybox ${image}`)).exitCode).toBe(0);
    for (const target of [image, `localhost:5000/class/${alice.handle}/other`, `localhost:5000/class/${alice.handle}`]) {
      if (target !== image) expect((await bob.run(`docker tag busybox ${target}`)).exitCode).toBe(0);
      const over = await bob.run(`docker push ${target}`);
      expect(over.exitCode, target).toBe(1);
      expect(over.stderr, target).toBe(
        `denied: in the class namespace this sandbox writes only its own part, localhost:5000/class/${bob.handle}/<name>\n`,
      );
    }
    // His own part works.
    expect((await bob.run(`docker tag busybox localhost:5000/class/${bob.handle}/app`)).exitCode).toBe(0);
    expect((await bob.run(`docker push localhost:5000/class/${bob.handle}/app`)).exitCode).toBe(0);
    // Alice's tag still names her image.
    expect((await alice.run(`docker rmi ${image}`)).exitCode).toBe(0);
    expect((await alice.run(`docker run --rm ${image}`)).stdout).toContain('built by alice\n');

    // A learner of another workshop, whose class namespace is open, sees only their own class's.
    const other = await createWorkshop({ sharedRegistry: true });
    expect(other.workshop.sharedRegistry).toBe(true);
    const carol = await joinAs(other.workshop.joinCode, 'Carol');
    const foreign = await carol.run(`docker pull ${image}`);
    expect(foreign.exitCode).toBe(1);
    expect(foreign.stderr).toContain('manifest unknown');
    // A session outside workshops is refused.
    const alone = await inject('POST', '/api/sessions');
    const lone = runner(alone.json().id, alone.json().token);
    const refused = await lone(`docker pull ${image}`);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toBe(
      `Error response from daemon: pull access denied for localhost:5000/class/${alice.handle}/app, repository does not exist or may require 'docker login': denied: localhost:5000/class/ is a workshop's class namespace, and this sandbox is not in a workshop\n`,
    );

    // Alice's sandbox ends (a resume makes her a new one): what she shared stays for the class.
    const resumed = await inject('POST', `/api/workshops/${workshop.id}/learners/${alice.id}/resume`, undefined, {
      authorization: `Bearer ${alice.resumeToken}`,
    });
    expect(resumed.statusCode).toBe(200);
    expect((await bob.run(`docker rmi ${image}`)).exitCode).toBe(0);
    expect((await bob.run(`docker run --rm ${image}`)).stdout).toContain('built by alice\n');

    // Closed again: refused, the content kept.
    expect((await setShared(workshop.id, instructorSecret, false)).json().workshop.sharedRegistry).toBe(false);
    expect((await bob.run(`docker rmi ${image}`)).exitCode).toBe(0);
    const whileClosed = await bob.run(`docker pull ${image}`);
    expect(whileClosed.exitCode).toBe(1);
    expect(whileClosed.stderr).toContain("denied: the instructor has not opened this workshop's class namespace");
    const namespace = join(registryPaths(sandbox.stateDir).storage, 'docker/registry/v2/repositories', workshopPrefix(workshop.id));
    expect(existsSync(join(namespace, alice.handle, 'app'))).toBe(true);

    // Deleted: gone from the registry's storage, blobs and all.
    const blob = join(registryPaths(sandbox.stateDir).storage, 'docker/registry/v2/blobs/sha256', digest!.slice(7, 9), digest!.slice(7));
    expect(existsSync(blob)).toBe(true);
    const deleted = await inject('DELETE', `/api/workshops/${workshop.id}`, undefined, { 'x-instructor-secret': instructorSecret });
    expect(deleted.statusCode).toBe(204);
    expect(existsSync(namespace)).toBe(false);
    expect(existsSync(blob)).toBe(false);
  });
});
