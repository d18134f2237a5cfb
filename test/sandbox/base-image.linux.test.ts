import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { existsSync } from 'node:fs';
import { lstat, mkdtemp, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';
import { attachBaseImage, buildBaseImage } from '../../sandbox-server/linux/base-image.js';
import { OverlaySnapshotter } from '../../sandbox-server/linux/overlay-snapshotter.js';
import { busyboxImageMeta } from '../../src/sim/base-image/index.js';
import { sha256 } from '../../src/engine/digest.js';
import { createSimEngine } from '../../src/sim/create-sim-engine.js';
import { useLinuxEngine } from '../support/linux-engine.js';

const run = requirePrereqs('linux', missingLinuxPrereqs());
const BUSYBOX = existsSync('/bin/busybox') ? '/bin/busybox' : '/usr/bin/busybox';

describe.skipIf(!run)('base image busybox:latest from the host busybox', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'layerlab-base-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("has the simulator's diffID, as a layer dir and a layer tar blob", async () => {
    const base = await buildBaseImage({ root, busybox: BUSYBOX });
    expect(base.diffId).toBe(busyboxImageMeta.diffId);
    expect(base.size).toBe(busyboxImageMeta.size);
    expect(sha256(new Uint8Array(await readFile(base.blobPath)))).toBe(base.diffId);
    // Buffer.equals: a deep toEqual over 2 MB is needlessly slow.
    expect((await readFile(join(base.layerDir, 'bin/busybox'))).equals(await readFile(BUSYBOX))).toBe(true);
    expect(await readlink(join(base.layerDir, 'bin/sh'))).toBe('/bin/busybox');
    expect(((await lstat(join(base.layerDir, 'tmp'))).mode & 0o7777).toString(8)).toBe('1777');
    expect(await readFile(join(base.layerDir, 'etc/passwd'), 'utf8')).toMatch(/^root:x:0:0:root:\/root:\/bin\/sh\n/);
  });

  it('is unchanged when already built, and rebuilt when an output is gone', async () => {
    const first = await buildBaseImage({ root, busybox: BUSYBOX });
    const again = await buildBaseImage({ root, busybox: BUSYBOX });
    expect(again).toEqual(first);
    await rm(first.blobPath);
    const rebuilt = await buildBaseImage({ root, busybox: BUSYBOX });
    expect(rebuilt).toEqual(first);
    expect(existsSync(first.blobPath)).toBe(true);
  });

  it("is a committed parent in a session's snapshotter, read-only and never removed by it", async () => {
    const base = await buildBaseImage({ root, busybox: BUSYBOX });
    const session = await OverlaySnapshotter.open(join(root, 'session'));
    await attachBaseImage(session, base);
    await attachBaseImage(session, base);
    expect(await session.list()).toEqual([{ key: base.diffId, kind: 'committed' }]);
    const mounts = await session.prepare('ctr', base.diffId);
    expect(mounts[0]!.options).toContain(`lowerdir=${base.layerDir}`);
    await session.remove('ctr');
    await session.remove(base.diffId);
    expect(existsSync(join(base.layerDir, 'bin/busybox'))).toBe(true);
  });

  it.each([
    ['the stamp is torn', 'busybox.json', '{"binary": {"pa'],
    ['the stamp is not a stamp', 'busybox.json', 'null'],
    ["the snapshotter's metadata is torn", 'snapshots/metadata.json', '{"version":1,"nextId":'],
    ["the snapshotter's metadata has the wrong shape", 'snapshots/metadata.json', '{"version":1,"nextId":2,"snapshots":{"x":{"id":"1"}}}'],
  ])('is built again with a warning when %s', async (_why, file, text) => {
    const first = await buildBaseImage({ root, busybox: BUSYBOX });
    await writeFile(join(root, file), text);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const rebuilt = await buildBaseImage({ root, busybox: BUSYBOX });
      expect({ ...rebuilt, layerDir: '', blobPath: '' }).toEqual({ ...first, layerDir: '', blobPath: '' });
      expect(sha256(new Uint8Array(await readFile(rebuilt.blobPath)))).toBe(first.diffId);
      expect((await readFile(join(rebuilt.layerDir, 'bin/busybox'))).equals(await readFile(BUSYBOX))).toBe(true);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining(`${file} is damaged`));
    } finally {
      warn.mockRestore();
    }
  });
});

describe.skipIf(!run)('busybox:latest on an engine', () => {
  const linux = useLinuxEngine('layerlab-base-engine-');
  // One image definition (engine/base-image/busybox.ts) on each backend's own layer: the
  // config, history and creation date must agree, or the image ID would differ.
  it('is the same image on the Linux backend as on the simulator: ID, created, config, history', async () => {
    const inspect = "docker image inspect -f '{{.Id}} {{.Created}} {{json .Config}} {{json .RootFS}}' busybox";
    const sim = await (await createSimEngine()).exec(inspect);
    const real = await linux.engine.exec(inspect);
    expect(sim.exitCode).toBe(0);
    expect(real).toEqual(sim);
    expect((await linux.engine.exec('docker history -q --no-trunc busybox')).stdout).toBe(
      (await (await createSimEngine()).exec('docker history -q --no-trunc busybox')).stdout,
    );
  });
});
