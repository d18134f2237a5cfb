import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingRegistryPrereqs, requirePrereqs } from '../support/prereqs.js';
import { RegistryHost } from '../../sandbox-server/linux/registry-host.js';
import { registryPaths } from '../../sandbox-server/linux/registry-config.js';
import { sessionPrefix } from '../../sandbox-server/linux/registry-names.js';
import { MANIFEST, call, pushBlob, pushImage, sha } from '../support/registry-push.js';
import { RegistryUnreachable } from '../../src/engine/errors.js';

const run = requirePrereqs('registry', missingRegistryPrereqs());

describe.skipIf(!run)('the registry transport: a namespace per session', () => {
  let stateDir: string;
  let host: RegistryHost;
  const quota = { bytes: 64 * 1024, repositories: 3 };

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'layerlab-registry-'));
    host = await RegistryHost.open({ stateDir });
  });
  afterAll(async () => {
    await host?.stop();
    await rm(stateDir, { recursive: true, force: true });
  });

  const blobFile = (digest: string) => {
    const hex = digest.slice('sha256:'.length);
    return join(registryPaths(stateDir).storage, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data');
  };

  it('gives two sessions pushing localhost:5000/app each its own bytes back', async () => {
    const a = host.transport('session-a', quota);
    const b = host.transport('session-b', quota);
    const pushedA = await pushImage(a, 'app', 'latest', new TextEncoder().encode('layer of a'));
    const pushedB = await pushImage(b, 'app', 'latest', new TextEncoder().encode('layer of b'));
    expect([pushedA.put.status, pushedB.put.status]).toEqual([201, 201]);
    expect(pushedA.put.headers['docker-content-digest']).toBe(pushedA.manifest);

    const manifestA = await call(a, 'GET', '/v2/app/manifests/latest', undefined, { accept: MANIFEST });
    const manifestB = await call(b, 'GET', '/v2/app/manifests/latest', undefined, { accept: MANIFEST });
    expect(sha(new TextEncoder().encode(manifestA.text))).toBe(pushedA.manifest);
    expect(sha(new TextEncoder().encode(manifestB.text))).toBe(pushedB.manifest);
    expect((await call(a, 'GET', `/v2/app/blobs/${pushedA.layer}`)).text).toBe('layer of a');
    expect((await call(b, 'GET', `/v2/app/blobs/${pushedB.layer}`)).text).toBe('layer of b');
    // Each sees its own repository only, by the learner's name.
    expect(JSON.parse((await call(a, 'GET', '/v2/_catalog')).text)).toEqual({ repositories: ['app'] });
    expect(JSON.parse((await call(b, 'GET', '/v2/app/tags/list')).text)).toEqual({ name: 'app', tags: ['latest'] });
    // B cannot read A's layer by digest in its own repository.
    expect((await call(b, 'GET', `/v2/app/blobs/${pushedA.layer}`)).status).toBe(404);
  });

  it('never shows a session its prefix: Location and error bodies name the learner’s repository', async () => {
    const a = host.transport('session-a', quota);
    const prefix = sessionPrefix('session-a');
    const start = await call(a, 'POST', '/v2/app/blobs/uploads/');
    expect(start.status).toBe(202);
    expect(start.headers.location).toMatch(/^http:\/\/localhost:5000\/v2\/app\/blobs\/uploads\/[0-9a-f-]+\?_state=/);
    expect(new URL(start.headers.location!).pathname).not.toContain(prefix);
    // distribution names the repository in this error's detail: `{"name":"<its name>"}`.
    const unknown = await call(a, 'GET', '/v2/nothing/tags/list');
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text).errors[0]).toMatchObject({ code: 'NAME_UNKNOWN', detail: { name: 'nothing' } });
    expect(unknown.text).not.toContain(prefix);
  });

  it('refuses every path trick before it reaches the registry', async () => {
    const a = host.transport('session-a', quota);
    const b = host.transport('session-b', quota);
    const prefixA = sessionPrefix('session-a');
    const layerA = sha(new TextEncoder().encode('layer of a'));
    const tricks = [
      `/v2/../${prefixA}/app/manifests/latest`,
      `/v2/app/../../${prefixA}/app/manifests/latest`,
      `/v2/%2e%2e/${prefixA}/app/manifests/latest`,
      `/v2/${prefixA}%2fapp/manifests/latest`,
      `/v2/app%2F..%2F..%2F${prefixA}%2Fapp/manifests/latest`,
      `http://127.0.0.1:5000/v2/${prefixA}/app/manifests/latest`,
      `//v2/${prefixA}/app/manifests/latest`,
      `/v2//${prefixA}/app/manifests/latest`,
      `/v2/App/manifests/latest`,
      `/v2/${'a'.repeat(240)}/manifests/latest`,
    ];
    for (const path of tricks) {
      const res = await call(b, 'GET', path);
      expect([400, 404], path).toContain(res.status);
      expect(res.text, path).not.toContain('layer of a');
    }
    expect(JSON.parse((await call(b, 'GET', `/v2/${'a'.repeat(240)}/manifests/latest`)).text).errors[0].code).toBe('NAME_INVALID');
    // Another session's prefix typed as a name is a name under one's own prefix: unknown.
    const typed = await call(b, 'GET', `/v2/${prefixA}/app/manifests/latest`);
    expect(typed.status).toBe(404);
    expect(JSON.parse(typed.text).errors[0].code).toBe('MANIFEST_UNKNOWN');
    expect((await call(b, 'GET', `/v2/${prefixA}/app/blobs/${layerA}`)).status).toBe(404);
    // A cross-repository mount from A's repository is a mount from B's own `<prefixA>/app`: none, an upload starts.
    const mount = await call(b, 'POST', `/v2/app/blobs/uploads/?mount=${layerA}&from=${prefixA}/app`);
    expect(mount.status).toBe(202);
    expect((await call(b, 'HEAD', `/v2/app/blobs/${layerA}`)).status).toBe(404);
    // Within a session a mount works as on any registry.
    const own = await call(a, 'POST', `/v2/other/blobs/uploads/?mount=${layerA}&from=app`);
    expect(own.status).toBe(201);
    expect(own.headers.location).toBe(`http://localhost:5000/v2/other/blobs/${layerA}`);
    // Only localhost:5000 is a registry here: Docker Hub is never reached.
    await expect(a.request({ method: 'GET', host: 'registry-1.docker.io', path: '/v2/', headers: {} })).rejects.toBeInstanceOf(RegistryUnreachable);
  });

  it('refuses past the quota of bytes and of repositories, as a registry denies', async () => {
    const t = host.transport('session-quota', { bytes: 1000, repositories: 2 });
    expect((await pushBlob(t, 'one', new Uint8Array(600).fill(1))).status).toBe(201);
    const over = await pushBlob(t, 'one', new Uint8Array(600).fill(2));
    expect(over.status).toBe(403);
    expect(JSON.parse(over.text).errors[0]).toMatchObject({ code: 'DENIED', message: expect.stringMatching(/quota exceeded/) });
    // The same blob in another repository of the session (a mount, as a client does) costs nothing: the session holds it once.
    const kept = sha(new Uint8Array(600).fill(1));
    expect((await call(t, 'POST', `/v2/two/blobs/uploads/?mount=${kept}&from=one`)).status).toBe(201);
    expect(t.usage).toEqual({ bytes: 600, repositories: 2 });
    expect((await pushBlob(t, 'two', new Uint8Array(10).fill(3))).status).toBe(201);
    expect(t.usage).toEqual({ bytes: 610, repositories: 2 });
    const third = await pushBlob(t, 'three', new Uint8Array(10).fill(4));
    expect(third.status).toBe(403);
    expect(JSON.parse(third.text).errors[0].message).toMatch(/2 repositories/);
  });

  it('removes a session’s manifests and the blobs only it linked when the session ends; others keep theirs', async () => {
    const c = host.transport('session-c', quota);
    const d = host.transport('session-d', quota);
    const shared = new TextEncoder().encode('layer both push');
    const pushedC = await pushImage(c, 'app', 'v1', new TextEncoder().encode('layer only c pushes'));
    await pushBlob(c, 'app', shared);
    const sharedPush = await pushBlob(d, 'app', shared);
    expect(existsSync(blobFile(pushedC.layer))).toBe(true);

    expect(await host.removeSession('session-c')).toEqual({ blobs: 3 });
    const again = host.transport('session-c', quota);
    expect((await call(again, 'GET', '/v2/app/manifests/v1')).status).toBe(404);
    expect((await call(again, 'GET', `/v2/app/manifests/${pushedC.manifest}`)).status).toBe(404);
    expect(JSON.parse((await call(again, 'GET', '/v2/_catalog')).text)).toEqual({ repositories: [] });
    for (const digest of [pushedC.layer, pushedC.config, pushedC.manifest]) expect(existsSync(blobFile(digest)), digest).toBe(false);
    // D linked the same bytes: they stay, and D reads them.
    expect(existsSync(blobFile(sharedPush.digest))).toBe(true);
    expect((await call(d, 'GET', `/v2/app/blobs/${sharedPush.digest}`)).text).toBe('layer both push');
  });

  it('removes what an earlier run’s sessions left, at the next start', async () => {
    const e = host.transport('session-e', quota);
    const pushed = await pushImage(e, 'left', 'behind', new TextEncoder().encode('layer of a crashed run'));
    expect(existsSync(blobFile(pushed.layer))).toBe(true);
    await host.stop();
    host = await RegistryHost.open({ stateDir });
    expect(existsSync(blobFile(pushed.layer))).toBe(false);
    expect(existsSync(join(registryPaths(stateDir).storage, 'docker/registry/v2/repositories', sessionPrefix('session-e')))).toBe(false);
    expect((await call(host.transport('session-e', quota), 'GET', '/v2/left/manifests/behind')).status).toBe(404);
  });
});
