import { afterAll, describe } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';
import { runtimeContract } from '../contract/runtime.contract.js';
import { attachBaseImage, buildBaseImage, type BaseImageLayer } from '../../sandbox-server/linux/base-image.js';
import { OverlaySnapshotter } from '../../sandbox-server/linux/overlay-snapshotter.js';
import { OciRuntime } from '../../sandbox-server/linux/oci-runtime.js';
import { DirVolumeStore } from '../../sandbox-server/linux/dir-volume-store.js';
import { ResourceTracker } from '../../sandbox-server/linux/cleanup.js';
import { detectRuntime } from '../../sandbox-server/linux/runtime-detect.js';
import { userNamespaceSetting } from '../../sandbox-server/linux/id-mapping.js';
import { shareWithMappedRoot } from '../../sandbox-server/linux/mapped-root-access.js';

const run = requirePrereqs('linux', missingLinuxPrereqs());
const BUSYBOX = existsSync('/bin/busybox') ? '/bin/busybox' : '/usr/bin/busybox';

describe.skipIf(!run)('OCI runtime driver', () => {
  // The server's user namespace (LAYERLAB_USERNS, on by default), as its sessions get it.
  const ids = userNamespaceSetting();
  // The base image and the runtime probe are the server's, made once; each fixture gets
  // its own snapshots, bundles and journal.
  let shared: Promise<{ dir: string; base: BaseImageLayer; runtime: string }> | undefined;
  const setup = () =>
    (shared ??= (async () => {
      const dir = await mkdtemp(join(tmpdir(), 'layerlab-rtc-base-'));
      await shareWithMappedRoot(dir, dir, ids);
      const base = await buildBaseImage({ root: dir, busybox: BUSYBOX, ids });
      const detected = await detectRuntime({ workDir: join(dir, 'probe'), busybox: BUSYBOX, ids });
      if (!detected.runtime?.path) throw new Error(`no runtime: ${JSON.stringify(detected.attempts)}`);
      return { dir, base, runtime: detected.runtime.path };
    })());
  afterAll(async () => {
    if (shared) await rm((await shared).dir, { recursive: true, force: true });
  });

  runtimeContract('runc', async () => {
    const { base, runtime: runtimePath } = await setup();
    const root = await mkdtemp(join(tmpdir(), 'layerlab-rtc-'));
    await shareWithMappedRoot(root, root, ids);
    const snapshots = await OverlaySnapshotter.open(join(root, 'snapshots'), ids);
    await attachBaseImage(snapshots, base);
    const runtime = new OciRuntime({ runtime: runtimePath, stateDir: join(root, 'state'), tracker: new ResourceTracker(join(root, 'tracked')), ids });
    const volumes = await DirVolumeStore.open(join(root, 'volumes'), ids);
    let n = 0;
    return {
      runtime,
      rootfs: () => snapshots.prepare(`c${++n}`, base.diffId),
      async volume(name: string) {
        const source = await volumes.create(name);
        return { source, read: (file: string) => readFile(join(source, file), 'utf8').catch(() => undefined) };
      },
      cleanup: async () => {
        await runtime.dispose();
        await rm(root, { recursive: true, force: true });
      },
    };
  });
});
