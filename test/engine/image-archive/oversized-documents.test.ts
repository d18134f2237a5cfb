import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { writeArchive, type ArchiveEntry } from '../../../src/engine/image-archive/archive-tar.js';
import { MAX_JSON_DOCUMENT_BYTES } from '../../../src/engine/json-document.js';
import { writeLayerTar } from '../../../src/engine/layer/tar.js';
import { createSimEngine } from '../../../src/sim/create-sim-engine.js';
import { MemoryWorkspace, type WorkspaceFile } from '../../../src/sim/memory-workspace.js';
import { aFile } from '../../support/builders.js';

const enc = (s: string) => new TextEncoder().encode(s);
const hex = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
/** A JSON document padded with spaces (still valid JSON) to `size` bytes. */
const padded = (value: unknown, size: number) => {
  const text = JSON.stringify(value);
  return enc(text + ' '.repeat(size - text.length));
};
const OVER = MAX_JSON_DOCUMENT_BYTES + 1;

const layer = writeLayerTar([aFile('/hello', 'hi')]);
const diffId = `sha256:${hex(layer)}`;
const created = '2026-01-01T00:00:00Z';
const config = {
  architecture: 'amd64',
  os: 'linux',
  created,
  config: {},
  rootfs: { type: 'layers', diff_ids: [diffId] },
  history: [{ created, created_by: 'x' }],
};

/** A classic archive (manifest.json) whose config and manifest.json are `configSize` and `manifestSize` bytes. */
function classic({ configSize = 0, manifestSize = 0 }): Uint8Array {
  const configBytes = configSize ? padded(config, configSize) : enc(JSON.stringify(config));
  const manifest = [{ Config: 'config.json', RepoTags: ['big:v1'], Layers: ['layer.tar'] }];
  return writeArchive([
    { path: 'config.json', bytes: configBytes, mtime: 0 },
    { path: 'layer.tar', bytes: layer, mtime: 0 },
    { path: 'manifest.json', bytes: manifestSize ? padded(manifest, manifestSize) : enc(JSON.stringify(manifest)), mtime: 0 },
  ]);
}

/** An OCI layout (index.json only) whose index.json and manifest blob are the sizes given. */
function layoutEntries({ indexSize = 0, manifestSize = 0 }): ArchiveEntry[] {
  const configBytes = enc(JSON.stringify(config));
  const manifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${hex(configBytes)}`, size: configBytes.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: diffId, size: layer.length }],
  };
  const manifestBytes = manifestSize ? padded(manifest, manifestSize) : enc(JSON.stringify(manifest));
  const index = {
    schemaVersion: 2,
    manifests: [
      {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: `sha256:${hex(manifestBytes)}`,
        size: manifestBytes.length,
        annotations: { 'io.containerd.image.name': 'docker.io/library/big:v1' },
      },
    ],
  };
  return [
    { path: `blobs/sha256/${hex(configBytes)}`, bytes: configBytes, mtime: 0 },
    { path: `blobs/sha256/${hex(layer)}`, bytes: layer, mtime: 0 },
    { path: `blobs/sha256/${hex(manifestBytes)}`, bytes: manifestBytes, mtime: 0 },
    { path: 'index.json', bytes: indexSize ? padded(index, indexSize) : enc(JSON.stringify(index)), mtime: 0 },
    { path: 'oci-layout', bytes: enc('{"imageLayoutVersion": "1.0.0"}'), mtime: 0 },
  ];
}

async function load(files: WorkspaceFile[], arg: string) {
  const engine = await createSimEngine({ workspace: new MemoryWorkspace(files) });
  const result = await engine.exec(`docker load -i ${arg}`);
  const images = (await engine.state()).images.flatMap((i) => i.repoTags);
  await engine.dispose();
  return { ...result, images };
}

describe(`docker load refuses a JSON document past ${MAX_JSON_DOCUMENT_BYTES} bytes by its size`, () => {
  it('loads documents up to the bound', async () => {
    const r = await load(
      [{ path: 'ok.tar', bytes: classic({ configSize: MAX_JSON_DOCUMENT_BYTES, manifestSize: MAX_JSON_DOCUMENT_BYTES }) }],
      'ok.tar',
    );
    expect(r).toMatchObject({ stdout: 'Loaded image: big:v1\n', exitCode: 0 });
  });

  it.each([
    ['manifest.json', 'manifest.json', { manifestSize: OVER }],
    ['the image config', 'image config', { configSize: OVER }],
  ])('a classic archive whose %s is too large', async (_what, name, sizes) => {
    const r = await load([{ path: 'big.tar', bytes: classic(sizes) }], 'big.tar');
    expect(r).toMatchObject({
      stderr: `${name} is too large: 4MiB, larger than the 4MiB a JSON document may be\n`,
      exitCode: 1,
      error: { code: 'DOCUMENT_TOO_LARGE' },
    });
    expect(r.images).toEqual(['busybox:latest']);
  });

  it.each([
    ['index.json', /^index\.json is too large/, { indexSize: OVER }],
    ['a manifest', /^manifest sha256:[0-9a-f]{64} is too large/, { manifestSize: OVER }],
  ])('an OCI layout tar whose %s is too large', async (_what, message, sizes) => {
    const r = await load([{ path: 'big.tar', bytes: writeArchive(layoutEntries(sizes)) }], 'big.tar');
    expect(r.stderr).toMatch(message);
    expect(r).toMatchObject({ exitCode: 1, error: { code: 'DOCUMENT_TOO_LARGE' } });
    expect(r.images).toEqual(['busybox:latest']);
  });

  it('an OCI layout directory whose index.json is too large', async () => {
    const files = layoutEntries({ indexSize: OVER }).map((e) => ({ path: `layout/${e.path}`, bytes: e.bytes! }));
    const r = await load(files, 'layout');
    expect(r).toMatchObject({ exitCode: 1, error: { code: 'DOCUMENT_TOO_LARGE' } });
    expect(r.stderr).toMatch(/^index\.json is too large/);
    // The same layout with a small index loads: the refusal is the size's.
    const ok = await load(
      layoutEntries({}).map((e) => ({ path: `layout/${e.path}`, bytes: e.bytes! })),
      'layout',
    );
    expect(ok).toMatchObject({ stdout: 'Loaded image: big:v1\n', exitCode: 0 });
  });
});
