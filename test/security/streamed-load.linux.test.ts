import { createHash } from 'node:crypto';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Digest } from '../../src/engine/digest.js';
import { BLOCK, encodeHeader } from '../../src/engine/layer/tar-header.js';
import { useLinuxSandboxApp } from '../support/linux-sandbox-app.js';
import { missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';
import { peakGrowth } from '../support/rss.js';
import { archiveOfLayers, gzipBombLayer } from '../support/gzip-bomb.js';
import { command, createSession, type Created } from '../sandbox/api-harness.js';

const run = requirePrereqs('linux', missingLinuxPrereqs());

const MiB = 1024 * 1024;
const LAYER_MIB = 200;
const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

/**
 * A `docker save` archive whose one layer is a plain tar holding /plain, `LAYER_MIB` MiB of
 * 7s, written to `path` a MiB at a time: the test process is the server's, so the archive
 * is never held here either (a PUT of it would be). The outer tar is laid out as
 * `archiveOfLayers` lays it out.
 */
function writePlainArchive(path: string): Digest {
  const fd = openSync(path, 'w');
  const pad = (size: number) => new Uint8Array((BLOCK - (size % BLOCK)) % BLOCK);
  const entry = (name: string, size: number) => encodeHeader({ name, mode: 0o644, uid: 0, gid: 0, size, mtime: 0, type: '0', linkname: '' });
  try {
    // The layer's bytes, hashed first (without being held) for its diffID.
    const fileHeader = entry('plain', LAYER_MIB * MiB);
    const ones = new Uint8Array(MiB).fill(7);
    const hash = createHash('sha256').update(fileHeader);
    for (let i = 0; i < LAYER_MIB; i++) hash.update(ones);
    hash.update(new Uint8Array(BLOCK * 2));
    const diffId = `sha256:${hash.digest('hex')}` as Digest;
    const layerSize = BLOCK + LAYER_MIB * MiB + BLOCK * 2;
    const config = enc({
      architecture: 'amd64',
      os: 'linux',
      config: {},
      rootfs: { type: 'layers', diff_ids: [diffId] },
      history: [{ created_by: 'plain' }],
    });
    const manifest = enc([{ Config: 'config.json', RepoTags: ['plain:v1'], Layers: ['layer.tar'] }]);
    for (const c of [entry('config.json', config.length), config, pad(config.length), entry('layer.tar', layerSize), fileHeader]) writeSync(fd, c);
    for (let i = 0; i < LAYER_MIB; i++) writeSync(fd, ones);
    for (const c of [new Uint8Array(BLOCK * 2), entry('manifest.json', manifest.length), manifest, pad(manifest.length), new Uint8Array(BLOCK * 2)])
      writeSync(fd, c);
    return diffId;
  } finally {
    closeSync(fd);
  }
}

describe.skipIf(!run)('docker load streams each layer from the archive to the store (root)', () => {
  // The archive, the loaded blob and its snapshot, then the gzipped layer's blob and
  // snapshot: five copies and a margin (what a load may unpack to is the session's disk).
  const sandbox = useLinuxSandboxApp('layerlab-streamed-load-', { stateBytes: (LAYER_MIB * 5 + 64) * MiB });
  let learner: Created;
  let files: string;

  beforeAll(async () => {
    learner = await createSession(sandbox.app);
    files = join(sandbox.stateDir, 'sessions', learner.id, 'files');
  });

  it(`loads a plain ${LAYER_MIB} MiB layer while the server grows by far less than the layer`, async () => {
    const diffId = writePlainArchive(join(files, 'plain.tar'));
    const { result, grown } = await peakGrowth(() => command(sandbox.app, learner, 'docker load -i plain.tar'));
    expect(result.json()).toMatchObject({ stdout: 'Loaded image: plain:v1\n', stderr: '', exitCode: 0 });
    // Read whole, the archive, its hash and its copy into the store grew the server by twice
    // the layer (400 MiB); indexed by its headers and streamed, by a few 4 MiB chunks not yet
    // collected (39 MiB).
    expect(grown).toBeLessThan(64 * MiB);
    // The image has no shell to look with (one layer, /plain only): its diffID and size say the layer is whole.
    expect((await command(sandbox.app, learner, 'docker image inspect -f "{{.RootFS.Layers}} {{.Size}}" plain:v1')).json()).toMatchObject({
      stdout: `[${diffId}] ${LAYER_MIB * MiB}\n`,
      exitCode: 0,
    });
    expect((await command(sandbox.app, learner, 'docker rmi plain:v1')).json()).toMatchObject({ exitCode: 0 });
    rmSync(join(files, 'plain.tar'));
  });

  it(`loads a gzipped layer that inflates to ${LAYER_MIB} MiB while the server grows by far less than the layer`, async () => {
    const layer = await gzipBombLayer(LAYER_MIB);
    const archive = join(files, 'zeros.tar');
    const fd = openSync(archive, 'w');
    writeSync(fd, archiveOfLayers([layer]));
    closeSync(fd);
    const { result, grown } = await peakGrowth(() => command(sandbox.app, learner, 'docker load -i zeros.tar'));
    expect(result.json()).toMatchObject({ stdout: 'Loaded image: bomb:latest\n', stderr: '', exitCode: 0 });
    // Inflated whole (counted, then kept), the load grew the server by the layer (209 MiB);
    // inflated as it streams to the store, by a few chunks (48 MiB).
    expect(grown).toBeLessThan(64 * MiB);
    expect((await command(sandbox.app, learner, 'docker image inspect -f "{{.RootFS.Layers}} {{.Size}}" bomb:latest')).json()).toMatchObject({
      stdout: `[${layer.diffId}] ${LAYER_MIB * MiB}\n`,
      exitCode: 0,
    });
  });
});
