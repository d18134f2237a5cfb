import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';
import { OverlaySnapshotter } from '../../sandbox-server/linux/overlay-snapshotter.js';
import { OciRuntime } from '../../sandbox-server/linux/oci-runtime.js';
import { ResourceTracker, type Resource } from '../../sandbox-server/linux/cleanup.js';
import { detectRuntime } from '../../sandbox-server/linux/runtime-detect.js';
import { attachBaseImage, buildBaseImage, type BaseImageLayer } from '../../sandbox-server/linux/base-image.js';

const run = requirePrereqs('linux', missingLinuxPrereqs());
const BUSYBOX = existsSync('/bin/busybox') ? '/bin/busybox' : '/usr/bin/busybox';

/** A journal as slow as a loaded disk: the runner's record lands long after runc has started. */
class SlowTracker extends ResourceTracker {
  override async track(r: Resource): Promise<void> {
    if (r.kind === 'process') await new Promise((resolve) => setTimeout(resolve, 1500));
    await super.track(r);
  }
}

describe.skipIf(!run)('OCI runtime driver: a container that ends while it is being journaled', () => {
  let root: string;
  let snapshots: OverlaySnapshotter;
  let runtime: OciRuntime;
  let base: BaseImageLayer;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'layerlab-rt-race-'));
    base = await buildBaseImage({ root: join(root, 'base'), busybox: BUSYBOX });
    snapshots = await OverlaySnapshotter.open(join(root, 'snapshots'));
    await attachBaseImage(snapshots, base);
    const detected = await detectRuntime({ workDir: join(root, 'probe'), busybox: BUSYBOX });
    runtime = new OciRuntime({ runtime: detected.runtime!.path!, stateDir: join(root, 'state'), tracker: new SlowTracker(join(root, 'tracked')) });
  });
  afterAll(async () => {
    await runtime?.dispose();
    await rm(root, { recursive: true, force: true });
  });

  it('is still waited for: its exit status and output arrive (a missed exit hung `docker run` under load)', async () => {
    const out: Uint8Array[] = [];
    const id = `race${process.pid}`;
    const rootfs = await snapshots.prepare(id, base.diffId);
    await runtime.create(
      { id, hostname: 'race', rootfs, process: { args: ['sh', '-c', 'echo hi; exit 7'], env: ['PATH=/bin'], cwd: '/', terminal: false }, limits: {} },
      { stdout: (c) => out.push(c), stderr: () => undefined },
    );
    const handle = await runtime.start(id);
    const code = await Promise.race([handle.wait(), new Promise((resolve) => setTimeout(() => resolve('never exited'), 10_000))]);
    expect(code).toBe(7);
    expect(Buffer.concat(out).toString()).toBe('hi\n');
    await runtime.delete(id);
    await snapshots.remove(id);
  }, 30_000);
});
