import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import { readArchive } from '../../src/engine/image-archive/archive-tar.js';
import { DEFAULT_LIMITS } from '../../sandbox-server/sessions/session-limits.js';
import { linuxEngineFactory } from '../../sandbox-server/sessions/linux-engine-factory.js';
import { simEngine } from '../engine/builder/sim-fixture.js';
import { missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';
import { failLoudly } from '../support/linux-engine.js';

const missing = [...missingLinuxPrereqs(), ...['skopeo', 'umoci'].filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0)];
const run = requirePrereqs('image tools (linux, skopeo, umoci)', missing);

// FROM busybox, RUN, COPY, ENV, RUN — the first RUN deletes a lower file (a whiteout),
// the last removes and recreates a directory a lower layer made (an opaque directory).
const DOCKERFILE = `FROM busybox
RUN echo one > /one && rm /etc/group && mkdir /opq && echo a > /opq/a
COPY hello.txt /hello.txt
ENV GREETING=hi
RUN rm -rf /opq && mkdir /opq && echo b > /opq/b && cat /hello.txt > /copy
CMD ["cat", "/copy"]
`;
const FILES = { Dockerfile: DOCKERFILE, 'hello.txt': 'hello from layerlab\n' };
const CLI = resolve(import.meta.dirname, '../../bin/layerlab.mjs');

function tarNames(bytes: Uint8Array, dir: string): string[] {
  const file = join(dir, `layer-${Math.random().toString(16).slice(2)}.tar`);
  writeFileSync(file, bytes);
  return execFileSync('tar', ['-tf', file], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

describe.skipIf(!run)('images Layerlab builds and saves, checked with real tools (root)', () => {
  let stateDir: string;
  let filesDir: string;
  let work: string;
  let engine: Engine;
  let diffIds: string[];
  let tar: string;

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'layerlab-tools-'));
    work = mkdtempSync(join(tmpdir(), 'layerlab-tools-work-'));
    const { factory } = await linuxEngineFactory(stateDir);
    const root = join(stateDir, 'session');
    filesDir = join(root, 'files');
    mkdirSync(filesDir, { recursive: true });
    for (const [name, text] of Object.entries(FILES)) writeFileSync(join(filesDir, name), text);
    engine = await factory({ id: 'tools', root: { path: root, filesDir, tmpfs: false }, limits: DEFAULT_LIMITS, fail: failLoudly });
    const built = await engine.exec('docker build -t app:v1 .');
    expect(built.exitCode, built.stderr).toBe(0);
    diffIds = (await engine.state()).images.find((i) => i.repoTags.includes('app:v1'))!.diffIds;
    const saved = await engine.exec('docker save -o app.tar app:v1');
    expect(saved, saved.stderr).toMatchObject({ exitCode: 0 });
    tar = join(filesDir, 'app.tar');
  });
  afterAll(async () => {
    await engine?.dispose();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('builds the 5-step Dockerfile on runc with the diffIDs the simulator gives', async () => {
    const sim = await simEngine(FILES);
    expect((await sim.engine.exec('docker build -t app:v1 .')).exitCode).toBe(0);
    const simIds = (await sim.engine.state()).images.find((i) => i.repoTags.includes('app:v1'))!.diffIds;
    expect(diffIds).toHaveLength(4);
    expect(diffIds).toEqual(simIds);
    expect(await engine.exec('docker run --rm app:v1')).toMatchObject({ stdout: 'hello from layerlab\n', exitCode: 0 });
  });

  it('writes a whiteout for the deleted file and an opaque marker for the recreated directory', async () => {
    const files = readArchive(new Uint8Array(readFileSync(tar)));
    const first = tarNames((await files.read(`blobs/sha256/${diffIds[1]!.slice(7)}`))!, work);
    expect(first).toEqual(expect.arrayContaining(['etc/', 'etc/.wh.group', 'one', 'opq/', 'opq/a']));
    const last = tarNames((await files.read(`blobs/sha256/${diffIds[3]!.slice(7)}`))!, work);
    expect(last).toEqual(expect.arrayContaining(['copy', 'opq/', 'opq/.wh..wh..opq', 'opq/b']));
    expect(last).not.toContain('opq/a');
  });

  it('passes skopeo inspect as docker-archive: and oci-archive:, which report our diffIDs', () => {
    for (const transport of ['docker-archive', 'oci-archive']) {
      const out = JSON.parse(execFileSync('skopeo', ['inspect', `${transport}:${tar}`], { encoding: 'utf8' })) as {
        Layers: string[];
        Architecture: string;
        Os: string;
      };
      expect({ transport, layers: out.Layers, os: out.Os }).toEqual({ transport, layers: diffIds, os: 'linux' });
    }
  });

  it('unpacks with umoci from the OCI layout the tar holds', () => {
    const layout = join(work, 'layout');
    mkdirSync(layout);
    execFileSync('tar', ['-xf', tar, '-C', layout]);
    const bundle = join(work, 'bundle');
    execFileSync('umoci', ['unpack', '--image', `${layout}:v1`, bundle], { stdio: 'pipe' });
    expect(readFileSync(join(bundle, 'rootfs/copy'), 'utf8')).toBe('hello from layerlab\n');
    expect(readFileSync(join(bundle, 'rootfs/opq/b'), 'utf8')).toBe('b\n');
    expect(() => readFileSync(join(bundle, 'rootfs/opq/a'))).toThrow(/ENOENT/);
    expect(() => readFileSync(join(bundle, 'rootfs/etc/group'))).toThrow(/ENOENT/);
  });

  it('loads into the simulator with the same diffIDs; `layerlab export-oci --backend linux` writes a layout umoci reads', async () => {
    const other = await simEngine({ 'app.tar': new Uint8Array(readFileSync(tar)) });
    expect((await other.engine.exec('docker load -i app.tar')).stdout).toBe('Loaded image: app:v1\n');
    expect((await other.engine.state()).images.find((i) => i.repoTags.includes('app:v1'))!.diffIds).toEqual(diffIds);
    const out = join(work, 'exported');
    const r = spawnSync('node', [CLI, 'export-oci', '--backend', 'linux', '--image', 'app:v1', '--out', out, '--context', filesDir], {
      input: 'docker build -q -t app:v1 .\n',
      encoding: 'utf8',
      env: { ...process.env, LAYERLAB_STATE_DIR: join(stateDir, 'cli') },
    });
    expect(r.status, r.stderr).toBe(0);
    const bundle = join(work, 'exported-bundle');
    execFileSync('umoci', ['unpack', '--image', `${out}:v1`, bundle], { stdio: 'pipe' });
    expect(readFileSync(join(bundle, 'rootfs/copy'), 'utf8')).toBe('hello from layerlab\n');
  });
});
