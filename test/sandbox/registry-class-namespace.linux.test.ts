import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingRegistryPrereqs, requirePrereqs } from '../support/prereqs.js';
import { RegistryHost } from '../../sandbox-server/linux/registry-host.js';
import { registryPaths } from '../../sandbox-server/linux/registry-config.js';
import { workshopPrefix } from '../../sandbox-server/linux/registry-names.js';
import { MANIFEST, call, pushBlob, pushImage, sha } from '../support/registry-push.js';

const run = requirePrereqs('registry', missingRegistryPrereqs());
const bytes = (text: string) => new TextEncoder().encode(text);
const denied = (res: { status: number; text: string }) => ({ status: res.status, code: JSON.parse(res.text).errors?.[0]?.code });

describe.skipIf(!run)("the registry transport: a workshop's class namespace", () => {
  let stateDir: string;
  let host: RegistryHost;
  const quota = { bytes: 64 * 1024, repositories: 5 };
  // Each workshop's switch, as the store would answer `sharedRegistryOpen`.
  const open = new Map<string, boolean>([
    ['w1', true],
    ['w2', true],
    ['w3', true],
    ['w4', true],
    ['w5', true],
  ]);
  const seat = (workshopId: string, handle: string) => ({ workshopId, handle, sharedOpen: async () => open.get(workshopId) ?? false });

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'layerlab-registry-class-'));
    host = await RegistryHost.open({ stateDir, workshopQuota: { bytes: 4000, repositories: 6 } });
  });
  afterAll(async () => {
    await host?.stop();
    await rm(stateDir, { recursive: true, force: true });
  });

  const storage = () => join(registryPaths(stateDir).storage, 'docker/registry/v2');
  const blobFile = (digest: string) => join(storage(), 'blobs/sha256', digest.slice(7, 9), digest.slice(7), 'data');

  it("lets the class read what a learner shared and write only in their own part; nobody else's namespace answers", async () => {
    const alice = host.transport('session-alice', quota, seat('w1', 'alice-1'));
    const bob = host.transport('session-bob', quota, seat('w1', 'bob-2'));
    const pushed = await pushImage(alice, 'class/alice-1/app', 'v1', bytes('layer alice shares'));
    expect(pushed.put.status).toBe(201);

    // Bob reads it: manifest, blob, tags — by the names the class knows, never the prefix.
    const manifest = await call(bob, 'GET', '/v2/class/alice-1/app/manifests/v1', undefined, { accept: MANIFEST });
    expect(manifest.status).toBe(200);
    expect(sha(bytes(manifest.text))).toBe(pushed.manifest);
    expect((await call(bob, 'GET', `/v2/class/alice-1/app/blobs/${pushed.layer}`)).text).toBe('layer alice shares');
    const tags = await call(bob, 'GET', '/v2/class/alice-1/app/tags/list');
    expect(JSON.parse(tags.text)).toEqual({ name: 'class/alice-1/app', tags: ['v1'] });
    expect(tags.text).not.toContain(workshopPrefix('w1'));

    // Bob cannot write there: a push, an overwrite of the tag, a delete of the manifest or blob, an upload.
    expect(denied(await pushBlob(bob, 'class/alice-1/app', bytes('bob overwrites')))).toEqual({ status: 403, code: 'DENIED' });
    const overwrite = await call(bob, 'PUT', '/v2/class/alice-1/app/manifests/v1', bytes(manifest.text), { 'content-type': MANIFEST });
    expect(denied(overwrite)).toEqual({ status: 403, code: 'DENIED' });
    expect(JSON.parse(overwrite.text).errors[0].message).toBe(
      'in the class namespace this sandbox writes only its own part, localhost:5000/class/bob-2/<name>',
    );
    expect(denied(await call(bob, 'DELETE', `/v2/class/alice-1/app/manifests/${pushed.manifest}`))).toEqual({ status: 403, code: 'DENIED' });
    expect(denied(await call(bob, 'DELETE', `/v2/class/alice-1/app/blobs/${pushed.layer}`))).toEqual({ status: 403, code: 'DENIED' });
    // Alice's own upload session, its id guessed or seen: still Alice's part.
    const upload = await call(alice, 'POST', '/v2/class/alice-1/app/blobs/uploads/');
    const uploadPath = new URL(upload.headers.location!).pathname;
    expect(uploadPath).toMatch(/^\/v2\/class\/alice-1\/app\/blobs\/uploads\//);
    for (const method of ['PATCH', 'PUT', 'DELETE'] as const)
      expect(denied(await call(bob, method, uploadPath, method === 'PATCH' ? bytes('x') : undefined)), method).toEqual({
        status: 403,
        code: 'DENIED',
      });
    // Names that only look like one's own part, or none.
    for (const name of ['class/bob-22/app', 'class/bob-2', 'class/app', 'class', 'class/alice-1/bob-2/app'])
      expect(denied(await pushBlob(bob, name, bytes('elsewhere'))), name).toEqual({ status: 403, code: 'DENIED' });
    for (const path of [
      '/v2/class/bob-2/../alice-1/app/blobs/uploads/',
      '/v2/class/bob-2%2f..%2falice-1%2fapp/blobs/uploads/',
      '/v2/class//alice-1/app/blobs/uploads/',
    ])
      expect([400, 404], path).toContain((await call(bob, 'POST', path)).status);
    // Alice's tag still names her manifest.
    const still = await call(bob, 'GET', '/v2/class/alice-1/app/manifests/v1', undefined, { accept: MANIFEST });
    expect(sha(bytes(still.text))).toBe(pushed.manifest);

    // In his own part Bob pushes, and mounts Alice's layer instead of sending it.
    const mount = await call(bob, 'POST', `/v2/class/bob-2/app/blobs/uploads/?mount=${pushed.layer}&from=class/alice-1/app`);
    expect(mount.status).toBe(201);
    expect(mount.headers.location).toBe(`http://localhost:5000/v2/class/bob-2/app/blobs/${pushed.layer}`);
    expect((await pushImage(bob, 'class/bob-2/app', 'v1', bytes('layer bob shares'))).put.status).toBe(201);

    // Another workshop's learner reads its own class namespace: nothing of w1's.
    const carol = host.transport('session-carol', quota, seat('w2', 'carol-1'));
    const other = await call(carol, 'GET', '/v2/class/alice-1/app/manifests/v1', undefined, { accept: MANIFEST });
    expect(other.status).toBe(404);
    expect((await call(carol, 'GET', `/v2/class/alice-1/app/blobs/${pushed.layer}`)).status).toBe(404);
    const carolMount = await call(carol, 'POST', `/v2/class/carol-1/app/blobs/uploads/?mount=${pushed.layer}&from=class/alice-1/app`);
    expect(carolMount.status).toBe(202);
    // A session outside workshops is refused, in a registry's words Docker prints.
    const alone = host.transport('session-alone', quota);
    const refused = await call(alone, 'GET', '/v2/class/alice-1/app/manifests/v1', undefined, { accept: MANIFEST });
    expect(denied(refused)).toEqual({ status: 403, code: 'DENIED' });
    expect(JSON.parse(refused.text).errors[0].message).toBe(
      "localhost:5000/class/ is a workshop's class namespace, and this sandbox is not in a workshop",
    );
    expect(refused.text).not.toContain('layer alice shares');
    expect(denied(await call(alone, 'POST', `/v2/app/blobs/uploads/?mount=${pushed.layer}&from=class/alice-1/app`))).toEqual({
      status: 403,
      code: 'DENIED',
    });
    // A session's own names stay its own: `app` is not the class's.
    expect((await call(bob, 'GET', '/v2/alice-1/app/manifests/v1')).status).toBe(404);
  });

  it('refuses reads and writes while the instructor has it closed, and serves what was shared again once reopened', async () => {
    const dave = host.transport('session-dave', quota, seat('w1', 'dave-3'));
    expect((await pushImage(dave, 'class/dave-3/app', 'v1', bytes('layer dave shares'))).put.status).toBe(201);
    open.set('w1', false);
    try {
      const read = await call(dave, 'GET', '/v2/class/dave-3/app/manifests/v1', undefined, { accept: MANIFEST });
      expect(denied(read)).toEqual({ status: 403, code: 'DENIED' });
      expect(JSON.parse(read.text).errors[0].message).toMatch(/has not opened this workshop's class namespace/);
      expect(denied(await pushBlob(dave, 'class/dave-3/app', bytes('while closed')))).toEqual({ status: 403, code: 'DENIED' });
    } finally {
      open.set('w1', true);
    }
    expect((await call(dave, 'GET', '/v2/class/dave-3/app/manifests/v1', undefined, { accept: MANIFEST })).status).toBe(200);
  });

  it("lists in a learner's catalog their own repositories and the class's they may read, never another session's", async () => {
    const fay = host.transport('session-fay', quota, seat('w4', 'fay-1'));
    const gus = host.transport('session-gus', quota, seat('w4', 'gus-2'));
    const hal = host.transport('session-hal', quota, seat('w5', 'hal-1'));
    const lone = host.transport('session-lone', quota);
    const pushes: [typeof fay, string][] = [
      [fay, 'classic'],
      [fay, 'a-b'],
      [fay, 'a/b'],
      [fay, 'class/fay-1/app'],
      [gus, 'secret'],
      [gus, 'class/gus-2/tool'],
      [hal, 'hal-own'],
      [hal, 'class/hal-1/app'],
      [lone, 'lone'],
    ];
    for (const [t, name] of pushes) expect((await pushImage(t, name, 'v1', bytes(`layer of ${name}`))).put.status, name).toBe(201);
    const catalog = async (t: typeof fay, query = '') => {
      const res = await call(t, 'GET', `/v2/_catalog${query}`);
      expect(res.status).toBe(200);
      expect(res.text).not.toMatch(/"[sw]-[0-9a-f]{16}/);
      return { repositories: JSON.parse(res.text).repositories as string[], link: res.headers.link };
    };
    // distribution's order: a name's components first ("a/b" before "a-b", "class/…" before "classic").
    const fays = ['a/b', 'a-b', 'class/fay-1/app', 'class/gus-2/tool', 'classic'];
    expect((await catalog(fay)).repositories).toEqual(fays);
    expect((await catalog(gus)).repositories).toEqual(['class/fay-1/app', 'class/gus-2/tool', 'secret']);
    expect((await catalog(hal)).repositories).toEqual(['class/hal-1/app', 'hal-own']);
    expect((await catalog(lone)).repositories).toEqual(['lone']);
    // Paged by n and last over both namespaces, a Link to the next page as distribution writes it.
    expect(await catalog(fay, '?n=2')).toEqual({ repositories: ['a/b', 'a-b'], link: '</v2/_catalog?last=a-b&n=2>; rel="next"' });
    expect(await catalog(fay, '?n=2&last=a-b')).toEqual({
      repositories: ['class/fay-1/app', 'class/gus-2/tool'],
      link: '</v2/_catalog?last=class%2Fgus-2%2Ftool&n=2>; rel="next"',
    });
    expect(await catalog(fay, '?n=2&last=class/gus-2/tool')).toEqual({ repositories: ['classic'], link: undefined });
    // A `last` that names no repository starts after where it would be.
    expect((await catalog(fay, '?last=b')).repositories).toEqual(['class/fay-1/app', 'class/gus-2/tool', 'classic']);
    expect((await catalog(fay, '?last=a0')).repositories).toEqual(['class/fay-1/app', 'class/gus-2/tool', 'classic']);
    // Closed by the instructor: the class's names go from the list as its reads are refused.
    open.set('w4', false);
    try {
      expect((await catalog(fay)).repositories).toEqual(['a/b', 'a-b', 'classic']);
    } finally {
      open.set('w4', true);
    }
  });

  it("counts a push to the class against the pusher's session and against the workshop as a whole, mounts too", async () => {
    const quotaHost = await mkdtemp(join(tmpdir(), 'layerlab-registry-class-quota-'));
    const h = await RegistryHost.open({ stateDir: quotaHost, workshopQuota: { bytes: 1000, repositories: 2 } });
    try {
      const erin = h.transport('session-erin', { bytes: 700, repositories: 5 }, seat('w1', 'erin-1'));
      const finn = h.transport('session-finn', { bytes: 10_000, repositories: 5 }, seat('w1', 'finn-2'));
      expect((await pushBlob(erin, 'class/erin-1/a', new Uint8Array(600).fill(1))).status).toBe(201);
      expect(erin.usage).toEqual({ bytes: 600, repositories: 1 });
      // Erin's session is at 600 of 700: her next 200 bytes are refused anywhere.
      const overSession = await pushBlob(erin, 'mine', new Uint8Array(200).fill(2));
      expect(denied(overSession)).toEqual({ status: 403, code: 'DENIED' });
      expect(JSON.parse(overSession.text).errors[0].message).toMatch(/this sandbox may keep/);
      // The workshop is at 600 of 1000: Finn's 600 more are refused though his session has room.
      const overWorkshop = await pushBlob(finn, 'class/finn-2/a', new Uint8Array(600).fill(3));
      expect(denied(overWorkshop)).toEqual({ status: 403, code: 'DENIED' });
      expect(JSON.parse(overWorkshop.text).errors[0].message).toMatch(/this workshop's class namespace may keep 0 MiB/);
      // Bytes pushed to his own namespace first and mounted into the class count as well.
      const big = new Uint8Array(600).fill(4);
      expect((await pushBlob(finn, 'own', big)).status).toBe(201);
      const mounted = await call(finn, 'POST', `/v2/class/finn-2/a/blobs/uploads/?mount=${sha(big)}&from=own`);
      expect(denied(mounted)).toEqual({ status: 403, code: 'DENIED' });
      const small = new Uint8Array(300).fill(5);
      expect((await pushBlob(finn, 'own', small)).status).toBe(201);
      expect((await call(finn, 'POST', `/v2/class/finn-2/a/blobs/uploads/?mount=${sha(small)}&from=own`)).status).toBe(201);
      // Repositories: two for the class.
      expect(denied(await pushBlob(finn, 'class/finn-2/b', new Uint8Array(10).fill(6)))).toEqual({ status: 403, code: 'DENIED' });
      // The bound holds across a restart: what the class's manifests keep is read back from the registry's storage.
      const kim = h.transport('session-kim', { bytes: 10_000, repositories: 5 }, seat('w3', 'kim-1'));
      const image = await pushImage(kim, 'class/kim-1/app', 'v1', new Uint8Array(200).fill(9));
      expect(image.put.status, image.put.text).toBe(201);
      await h.stop();
      const again = await RegistryHost.open({ stateDir: quotaHost, workshopQuota: { bytes: 1000, repositories: 2 } });
      try {
        const lee = again.transport('session-lee', { bytes: 10_000, repositories: 5 }, seat('w3', 'lee-2'));
        const over = await pushBlob(lee, 'class/lee-2/app', new Uint8Array(300).fill(7));
        expect(denied(over)).toEqual({ status: 403, code: 'DENIED' });
        expect(JSON.parse(over.text).errors[0].message).toMatch(/this workshop's class namespace may keep/);
        expect((await pushBlob(lee, 'class/lee-2/app', new Uint8Array(50).fill(7))).status).toBe(201);
        expect((await call(lee, 'GET', `/v2/class/kim-1/app/blobs/${image.layer}`)).status).toBe(200);
      } finally {
        await again.stop();
      }
    } finally {
      await h.stop().catch(() => undefined);
      await rm(quotaHost, { recursive: true, force: true });
    }
  });

  it("keeps what was shared when the sharer's session ends, and removes it from storage when the workshop is deleted", async () => {
    const hana = host.transport('session-hana', quota, seat('w1', 'hana-4'));
    const ivan = host.transport('session-ivan', quota, seat('w1', 'ivan-5'));
    const shared = await pushImage(hana, 'class/hana-4/app', 'v1', bytes('layer hana shares'));
    const own = await pushImage(hana, 'private', 'v1', bytes('layer hana keeps'));
    expect(shared.put.status).toBe(201);
    await host.removeSession('session-hana');
    expect(existsSync(blobFile(own.layer))).toBe(false);
    expect(existsSync(blobFile(shared.layer))).toBe(true);
    expect((await call(ivan, 'GET', `/v2/class/hana-4/app/blobs/${shared.layer}`)).text).toBe('layer hana shares');

    // Another workshop's content and a session's own stay when w1 goes.
    const kept = await pushImage(host.transport('session-jun', quota, seat('w2', 'jun-2')), 'class/jun-2/app', 'v1', bytes('layer of w2'));
    const ivanOwn = await pushImage(ivan, 'mine', 'v1', bytes('layer ivan keeps'));
    const removed = await host.removeWorkshop('w1');
    expect(removed.blobs).toBeGreaterThanOrEqual(3);
    expect(existsSync(join(storage(), 'repositories', workshopPrefix('w1')))).toBe(false);
    for (const digest of [shared.layer, shared.config, shared.manifest]) expect(existsSync(blobFile(digest)), digest).toBe(false);
    expect(existsSync(blobFile(kept.layer))).toBe(true);
    expect(existsSync(blobFile(ivanOwn.layer))).toBe(true);
    expect((await call(ivan, 'GET', '/v2/class/hana-4/app/manifests/v1', undefined, { accept: MANIFEST })).status).toBe(404);
    // A fresh start of the namespace counts nothing of the removed content.
    expect((await pushBlob(ivan, 'class/ivan-5/app', new Uint8Array(3000).fill(8))).status).toBe(201);
  });
});
