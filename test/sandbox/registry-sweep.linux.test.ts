import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingRegistryPrereqs, requirePrereqs } from '../support/prereqs.js';
import { RegistryHost } from '../../sandbox-server/linux/registry-host.js';
import { registryPaths } from '../../sandbox-server/linux/registry-config.js';
import type { RegistryLog } from '../../sandbox-server/linux/registry-process.js';
import { sessionPrefix, workshopPrefix } from '../../sandbox-server/linux/registry-names.js';
import { MANIFEST, call, pushBlob, pushImage, sha } from '../support/registry-push.js';

const run = requirePrereqs('registry', missingRegistryPrereqs());
const bytes = (text: string) => new TextEncoder().encode(text);
const quota = { bytes: 64 * 1024, repositories: 5 };
const seat = (workshopId: string, handle: string) => ({ workshopId, handle, sharedOpen: async () => true });
const quiet: RegistryLog = { debug() {}, info() {}, warn() {}, error() {} };

describe.skipIf(!run)("the registry's sweep: what no live session or existing workshop owns", () => {
  let stateDir: string;
  let host: RegistryHost | undefined;
  // The workshop store, as `workshopIds` answers.
  const workshops = new Set<string>();
  let storeDown = false;
  const open = () =>
    RegistryHost.open({
      stateDir,
      // No timer sweep during the test: each sweep here is one the test caused.
      sweepIntervalMs: 3_600_000,
      workshops: async () => {
        if (storeDown) throw new Error('ECONNREFUSED');
        return workshops;
      },
    });

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'layerlab-registry-sweep-'));
  });
  afterAll(async () => {
    await host?.stop();
    await rm(stateDir, { recursive: true, force: true });
  });

  const v2 = () => join(registryPaths(stateDir).storage, 'docker/registry/v2');
  const namespaceDir = (prefix: string) => join(v2(), 'repositories', prefix);
  const blobFile = (digest: string) => join(v2(), 'blobs/sha256', digest.slice(7, 9), digest.slice(7), 'data');

  it('finishes a session’s removal that failed once the registry restarts; a live session and the class keep theirs', async () => {
    workshops.add('w-live');
    host = await open();
    const live = host.transport('session-live', quota, seat('w-live', 'ada-1'));
    const gone = host.transport('session-gone', quota);
    const kept = await pushImage(live, 'app', 'v1', bytes('layer live keeps'));
    const shared = await pushImage(live, 'class/ada-1/app', 'v1', bytes('layer the class keeps'));
    const left = await pushImage(gone, 'app', 'v1', bytes('layer only gone pushed'));
    const both = await pushBlob(gone, 'app', bytes('layer live keeps'));
    expect([kept.put.status, shared.put.status, left.put.status, both.status]).toEqual([201, 201, 201, 201]);

    // The removal fails part way: a mount point in the namespace cannot be removed (EBUSY).
    const busy = join(namespaceDir(sessionPrefix('session-gone')), 'app/_uploads/busy');
    await mkdir(busy, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'layerlab-test', busy]);
    try {
      await expect(host.removeSession('session-gone')).rejects.toThrow(/EBUSY/);
    } finally {
      execFileSync('umount', [busy]);
    }
    expect(existsSync(namespaceDir(sessionPrefix('session-gone')))).toBe(true);

    // The registry dies and is started again: the sweep runs then.
    const swept = new Promise<{ namespaces: number; blobs: number }>((resolve) => {
      host!.log = { ...quiet, warn: (obj, msg) => msg.startsWith('swept registry namespaces') && resolve(obj as never) };
    });
    const pid = host.registryProcess.pid!;
    process.kill(pid, 'SIGKILL');
    const result = await swept;
    expect(host.registryProcess.pid).not.toBe(pid);
    expect(result.namespaces).toBe(1);

    expect(existsSync(namespaceDir(sessionPrefix('session-gone')))).toBe(false);
    for (const digest of [left.layer, left.config, left.manifest]) expect(existsSync(blobFile(digest)), digest).toBe(false);
    // The blob both sessions pushed is the live one's too; its image and the class's read as before.
    expect(existsSync(blobFile(both.digest))).toBe(true);
    const manifest = await call(live, 'GET', '/v2/app/manifests/v1', undefined, { accept: MANIFEST });
    expect(sha(bytes(manifest.text))).toBe(kept.manifest);
    expect((await call(live, 'GET', `/v2/app/blobs/${kept.layer}`)).text).toBe('layer live keeps');
    expect((await call(live, 'GET', `/v2/class/ada-1/app/blobs/${shared.layer}`)).text).toBe('layer the class keeps');
    // Nothing is left for a second sweep to take.
    expect(await host.sweep()).toEqual({ namespaces: [], blobs: 0 });
  });

  it('removes the class namespace of a workshop deleted while the registry was stopped at the next start, and keeps it while the store does not answer', async () => {
    workshops.add('w-deleted');
    const keeper = host!.transport('session-keeper', quota, seat('w-live', 'bo-2'));
    const leaver = host!.transport('session-leaver', quota, seat('w-deleted', 'cy-1'));
    const stays = await pushImage(keeper, 'class/bo-2/app', 'v1', bytes('layer of a workshop that stays'));
    const goes = await pushImage(leaver, 'class/cy-1/app', 'v1', bytes('layer of a deleted workshop'));
    expect([stays.put.status, goes.put.status]).toEqual([201, 201]);
    await host!.stop();

    // The workshop's DELETE while this server had no registry: the store forgot it, the registry's disk did not.
    workshops.delete('w-deleted');
    storeDown = true;
    host = await open();
    expect(existsSync(namespaceDir(workshopPrefix('w-deleted')))).toBe(true);
    expect(existsSync(blobFile(goes.layer))).toBe(true);
    expect(await host.sweep()).toEqual({ namespaces: [], blobs: 0 });
    await host.stop();

    storeDown = false;
    host = await open();
    expect(existsSync(namespaceDir(workshopPrefix('w-deleted')))).toBe(false);
    for (const digest of [goes.layer, goes.config, goes.manifest]) expect(existsSync(blobFile(digest)), digest).toBe(false);
    const reader = host.transport('session-reader', quota, seat('w-live', 'di-3'));
    expect((await call(reader, 'GET', `/v2/class/bo-2/app/blobs/${stays.layer}`)).text).toBe('layer of a workshop that stays');
    expect((await call(reader, 'GET', `/v2/class/ada-1/app/manifests/v1`, undefined, { accept: MANIFEST })).status).toBe(200);
  });

  it('removes, while it runs, the class namespace of a workshop whose removal did not happen, and nothing a live session is pushing', async () => {
    workshops.add('w-later');
    const one = host!.transport('session-one', quota, seat('w-later', 'ed-1'));
    const pushed = await pushImage(one, 'class/ed-1/app', 'v1', bytes('layer of w-later'));
    expect(pushed.put.status).toBe(201);
    // Deleted from the store; the route's removal failed (api-workshops.test.ts), so the sweep is what removes it.
    workshops.delete('w-later');
    const swept = await host!.sweep();
    expect(swept.namespaces).toEqual([workshopPrefix('w-later')]);
    expect(swept.blobs).toBe(3);
    expect(existsSync(blobFile(pushed.layer))).toBe(false);
    expect(existsSync(namespaceDir(workshopPrefix('w-live')))).toBe(true);
    // The session that pushed is live: its namespace stays, and an upload it has under way (its bytes
    // not yet a blob, no repository linking them) is not the sweep's.
    const start = await call(one, 'POST', '/v2/mine/blobs/uploads/');
    const body = bytes('pushed across a sweep');
    const patch = await call(one, 'PATCH', new URL(start.headers.location!).pathname + new URL(start.headers.location!).search, body);
    expect(patch.status).toBe(202);
    expect(await host!.sweep()).toEqual({ namespaces: [], blobs: 0 });
    const next = new URL(patch.headers.location!);
    next.searchParams.set('digest', sha(body));
    expect((await call(one, 'PUT', next.pathname + next.search)).status).toBe(201);
    expect((await call(one, 'GET', `/v2/mine/blobs/${sha(body)}`)).text).toBe('pushed across a sweep');
  });
});
