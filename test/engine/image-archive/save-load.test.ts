import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../../src/engine/digest.js';
import { readArchive } from '../../../src/engine/image-archive/archive-tar.js';
import { ociLayoutEntries } from '../../../src/engine/image-archive/oci-layout-dir.js';
import type { ManifestItem, OciIndex, OciManifest } from '../../../src/engine/image-archive/oci-types.js';
import { readLayerTar } from '../../../src/engine/layer/tar.js';
import { simEngine } from '../builder/sim-fixture.js';
import { archiveEntries, archiveJson, rewriteArchive } from './archive-support.js';

const SCRATCH_APP = 'FROM scratch\nCOPY a.txt /a.txt\nCOPY conf/ /etc/app/\nENV MODE=prod\nCMD ["/a.txt"]\n';
const FILES = { Dockerfile: SCRATCH_APP, 'a.txt': 'alpha\n', 'conf/one.conf': 'one=1\n', 'conf/two.conf': 'two=2\n' };
const ORACLE_TAR = readFileSync(join(import.meta.dirname, '../../fixtures/oracle-scratch.tar'));

async function builtApp() {
  const sim = await simEngine(FILES);
  expect((await sim.engine.exec('docker build -q -t app:v1 .')).exitCode).toBe(0);
  const image = (await sim.engine.state()).images.find((i) => i.repoTags.includes('app:v1'))!;
  return { ...sim, image };
}

async function saved() {
  const app = await builtApp();
  const r = await app.engine.exec('docker save -o out/app.tar app:v1');
  expect(r).toEqual({ stdout: '', stderr: '', exitCode: 0 });
  return { ...app, tar: (await app.workspace.read('out/app.tar'))! };
}

describe('docker save', () => {
  it('writes the layout Docker 25+ writes: OCI layout, manifest.json, repositories', async () => {
    const { tar, image } = await saved();
    const entries = archiveEntries(tar);
    const [configHex, layer1, layer2] = [image.id, ...image.diffIds].map((d) => d.slice(7));
    const blobs = [configHex, layer1, layer2].map((h) => `blobs/sha256/${h}`);
    expect(entries.slice(2, 6).map((e) => e.path)).toEqual([...entries.slice(2, 6).map((e) => e.path)].sort());
    expect(entries.slice(2, 6).map((e) => e.path)).toEqual(expect.arrayContaining(blobs));
    expect(entries.map((e) => e.path).filter((p) => !p.startsWith('blobs/sha256/'))).toEqual([
      'blobs',
      'blobs/sha256',
      'index.json',
      'manifest.json',
      'oci-layout',
      'repositories',
    ]);
    expect(entries).toHaveLength(2 + 4 + 4);
    for (const e of entries.filter((x) => x.path.startsWith('blobs/sha256/'))) expect(sha256(e.bytes!).slice(7)).toBe(e.path.slice(13));

    const index = await archiveJson<OciIndex>(tar, 'index.json');
    expect(index).toMatchObject({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json' });
    expect(index.manifests).toEqual([
      {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: expect.stringMatching(/^sha256:/),
        size: expect.any(Number),
        platform: { architecture: 'amd64', os: 'linux' },
        annotations: { 'io.containerd.image.name': 'docker.io/library/app:v1', 'org.opencontainers.image.ref.name': 'v1' },
      },
    ]);
    const manifest = await archiveJson<OciManifest>(tar, `blobs/sha256/${index.manifests[0]!.digest.slice(7)}`);
    expect(manifest.config).toMatchObject({ mediaType: 'application/vnd.oci.image.config.v1+json', digest: image.id });
    expect(manifest.layers.map((l) => [l.mediaType, l.digest])).toEqual(image.diffIds.map((d) => ['application/vnd.oci.image.layer.v1.tar', d]));
    expect(await archiveJson<ManifestItem[]>(tar, 'manifest.json')).toEqual([
      { Config: `blobs/sha256/${configHex}`, RepoTags: ['app:v1'], Layers: [`blobs/sha256/${layer1}`, `blobs/sha256/${layer2}`] },
    ]);
    expect(await archiveJson(tar, 'repositories')).toEqual({ app: { v1: layer2 } });
    expect(new TextDecoder().decode(await readArchive(tar).read('oci-layout'))).toBe('{"imageLayoutVersion": "1.0.0"}');
  });

  it('rebuilds each built layer from its snapshot with the diffID the build gave it', async () => {
    const { tar, image, snapshotter } = await saved();
    const files = readArchive(tar);
    const layer = (await files.read(`blobs/sha256/${image.diffIds[1]!.slice(7)}`))!;
    expect(sha256(layer)).toBe(image.diffIds[1]);
    expect(readLayerTar(layer)).toEqual(await snapshotter.changes(image.chainIds[1]!));
    expect(readLayerTar(layer).map((c) => c.path)).toEqual(['/etc', '/etc/app', '/etc/app/one.conf', '/etc/app/two.conf']);
  });

  it('saves every tag of a bare repository name, an image once, and an ID without tags', async () => {
    const { engine, workspace, image } = await builtApp();
    await engine.exec('docker tag app:v1 app:v2');
    await engine.exec('docker tag app:v1 other:latest');
    expect((await engine.exec('docker save -o all.tar app other')).exitCode).toBe(0);
    const all = (await workspace.read('all.tar'))!;
    expect(await archiveJson(all, 'manifest.json')).toEqual([expect.objectContaining({ RepoTags: ['app:v1', 'app:v2', 'other:latest'] })]);
    expect((await archiveJson<OciIndex>(all, 'index.json')).manifests.map((m) => m.annotations?.['io.containerd.image.name'])).toEqual([
      'docker.io/library/app:v1',
      'docker.io/library/app:v2',
      'docker.io/library/other:latest',
    ]);
    expect((await engine.exec(`docker save -o id.tar ${image.id.slice(7, 19)}`)).exitCode).toBe(0);
    const byId = (await workspace.read('id.tar'))!;
    expect(await archiveJson(byId, 'manifest.json')).toEqual([expect.objectContaining({ RepoTags: null })]);
    expect(await readArchive(byId).read('repositories')).toBeUndefined();
    expect((await archiveJson<OciIndex>(byId, 'index.json')).manifests).toHaveLength(1);
  });

  it('says what Docker says: no -o, unknown names, images it cannot write', async () => {
    const { engine } = await builtApp();
    expect(await engine.exec('docker save app:v1')).toEqual({
      stdout: '',
      stderr: 'cowardly refusing to save to a terminal. Use the -o flag or redirect\n',
      exitCode: 1,
    });
    expect(await engine.exec('docker save -o x.tar nope')).toMatchObject({
      stderr: 'Error response from daemon: No such image: nope:latest\n',
      exitCode: 1,
    });
    expect(await engine.exec('docker save -o x.tar app:nope')).toMatchObject({
      stderr: 'Error response from daemon: reference does not exist\n',
      exitCode: 1,
    });
    expect((await engine.exec('docker save')).exitCode).toBe(1);
    // The simulator's busybox layer has no bytes: images on it describe, but cannot be written.
    const busy = await engine.exec('docker save -o b.tar busybox');
    expect(busy.exitCode).toBe(1);
    expect(busy.stderr).toMatch(/^Error response from daemon: layer sha256:[0-9a-f]{64} holds content this backend does not have \(\/bin\/busybox\)/);
  });
});

describe('docker load', () => {
  it('loads a saved image into a fresh engine with the same ID, tags, history and diffIDs; saving it again gives the same bytes', async () => {
    const { tar, image } = await saved();
    const other = await simEngine({ 'app.tar': tar });
    const r = await other.engine.exec('docker load -i app.tar');
    expect(r).toEqual({ stdout: 'Loaded image: app:v1\n', stderr: '', exitCode: 0 });
    const loaded = (await other.engine.state()).images.find((i) => i.id === image.id)!;
    expect(loaded).toMatchObject({
      repoTags: ['app:v1'],
      diffIds: image.diffIds,
      chainIds: image.chainIds,
      history: image.history,
      size: image.size,
    });
    expect(other.events.filter((e) => e.type === 'layer.created')).toHaveLength(2);
    expect((await other.engine.exec('docker save -o again.tar app:v1')).exitCode).toBe(0);
    expect(await other.workspace.read('again.tar')).toEqual(tar);
    const inspect = JSON.parse((await other.engine.exec('docker image inspect app:v1')).stdout) as [{ RootFS: { Layers: string[] } }];
    expect(inspect[0].RootFS.Layers).toEqual(image.diffIds);
  });

  it('loads the classic archive the Docker oracle saved, and its file is usable from a build', async () => {
    const sim = await simEngine({
      'oracle.tar': ORACLE_TAR,
      Dockerfile: 'FROM busybox\nCOPY --from=oracle-scratch:v1 /hello.txt /hello.txt\nCMD ["cat", "/hello.txt"]\n',
    });
    expect(await sim.engine.exec('docker load -i oracle.tar')).toEqual({ stdout: 'Loaded image: oracle-scratch:v1\n', stderr: '', exitCode: 0 });
    const image = (await sim.engine.state()).images.find((i) => i.repoTags.includes('oracle-scratch:v1'))!;
    // The ID is the sha256 of the config bytes as Docker wrote them.
    expect(image.id).toBe('sha256:841f3f532239ae69a8e61c9fc7b731a70f47710bbc91c37869b01a9d6ce0046b');
    expect(image.diffIds).toEqual(['sha256:6d550a030cb6e8dbd6d8bd0572266ba1c2815bcb894c535a67355680c968fa8a']);
    expect(image.history).toEqual([
      expect.objectContaining({
        createdBy: '/bin/sh -c #(nop) COPY file:937efb6f54c19e8185b007c5b704f2e08de0deb46ba2afc9ccd3050a3b1fe92a in /hello.txt ',
        emptyLayer: false,
      }),
    ]);
    const history = await sim.engine.exec('docker history --format "{{.ID}} {{.Size}}" oracle-scratch:v1');
    expect(history.stdout).toBe('841f3f532239 18B\n');
    expect((await sim.engine.exec('docker build -q -t uses-oracle .')).exitCode).toBe(0);
    expect(await sim.engine.exec('docker run --rm uses-oracle')).toMatchObject({ stdout: 'hello from docker\n', exitCode: 0 });
    // What came in goes out as it came: the layer's own bytes, with Docker's mtimes.
    expect((await sim.engine.exec('docker save -o back.tar oracle-scratch:v1')).exitCode).toBe(0);
    const layer = await readArchive((await sim.workspace.read('back.tar'))!).read(
      'blobs/sha256/6d550a030cb6e8dbd6d8bd0572266ba1c2815bcb894c535a67355680c968fa8a',
    );
    expect(sha256(layer!)).toBe(image.diffIds[0]);
  });

  it('loads an OCI image layout directory from the workspace', async () => {
    const { tar, image } = await saved();
    const files: Record<string, Uint8Array> = {};
    for (const e of ociLayoutEntries(archiveEntries(tar))) files[`layout/${e.path}`] = e.bytes!;
    const other = await simEngine(files);
    expect(await other.engine.exec('docker load -i ./layout')).toEqual({ stdout: 'Loaded image: app:v1\n', stderr: '', exitCode: 0 });
    expect((await other.engine.state()).images.find((i) => i.id === image.id)?.repoTags).toEqual(['app:v1']);
  });

  it('reads gzip-compressed OCI layers and names from a full ref.name; an unnamed image is reported by ID', async () => {
    const { tar, image } = await saved();
    const files = readArchive(tar);
    const index = await archiveJson<OciIndex>(tar, 'index.json');
    const manifest = await archiveJson<OciManifest>(tar, `blobs/sha256/${index.manifests[0]!.digest.slice(7)}`);
    const layout: Record<string, Uint8Array> = {
      'oci/oci-layout': (await files.read('oci-layout'))!,
      [`oci/blobs/sha256/${image.id.slice(7)}`]: (await files.read(`blobs/sha256/${image.id.slice(7)}`))!,
    };
    const layers = [];
    for (const l of manifest.layers) {
      const gz = new Uint8Array(
        await new Response(
          new Blob([(await files.read(`blobs/sha256/${l.digest.slice(7)}`))! as BlobPart]).stream().pipeThrough(new CompressionStream('gzip')),
        ).arrayBuffer(),
      );
      layout[`oci/blobs/sha256/${sha256(gz).slice(7)}`] = gz;
      layers.push({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256(gz), size: gz.length });
    }
    const m = new TextEncoder().encode(JSON.stringify({ ...manifest, layers }));
    layout[`oci/blobs/sha256/${sha256(m).slice(7)}`] = m;
    const named = {
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: sha256(m),
          size: m.length,
          annotations: { 'org.opencontainers.image.ref.name': 'example.com/team/app:2' },
        },
      ],
    };
    const unnamed = { schemaVersion: 2, manifests: [{ ...named.manifests[0], annotations: { 'org.opencontainers.image.ref.name': '2' } }] };
    const a = await simEngine({ ...layout, 'oci/index.json': new TextEncoder().encode(JSON.stringify(named)) });
    expect(await a.engine.exec('docker load -i oci')).toMatchObject({ stdout: 'Loaded image: example.com/team/app:2\n', exitCode: 0 });
    expect((await a.engine.state()).images.find((i) => i.id === image.id)?.diffIds).toEqual(image.diffIds);
    const b = await simEngine({ ...layout, 'oci/index.json': new TextEncoder().encode(JSON.stringify(unnamed)) });
    expect(await b.engine.exec('docker load -i oci')).toMatchObject({ stdout: `Loaded image ID: ${image.id}\n`, exitCode: 0 });
  });

  it('refuses a layer that does not match its diffID, and registers nothing', async () => {
    const { tar, image } = await saved();
    const path = `blobs/sha256/${image.diffIds[0]!.slice(7)}`;
    const layer = (await readArchive(tar).read(path))!.slice();
    layer[600] = layer[600]! ^ 1;
    const other = await simEngine({ 'bad.tar': rewriteArchive(archiveEntries(tar), path, layer) });
    const r = await other.engine.exec('docker load -i bad.tar');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(`invalid diffID for layer 0: expected "${image.diffIds[0]}", got "${sha256(layer)}"\n`);
    expect((await other.engine.state()).images.map((i) => i.repoTags)).toEqual([['busybox:latest']]);
  });

  it('checks OCI blobs against their descriptors when there is no manifest.json', async () => {
    const { tar, image } = await saved();
    const entries = archiveEntries(tar).filter((e) => e.path !== 'manifest.json');
    const path = `blobs/sha256/${image.id.slice(7)}`;
    const config = (await readArchive(tar).read(path))!;
    const tampered = new TextEncoder().encode(new TextDecoder().decode(config).replace('MODE=prod', 'MODE=dev!'));
    const other = await simEngine({ 'bad.tar': rewriteArchive(entries, path, tampered) });
    expect(await other.engine.exec('docker load -i bad.tar')).toMatchObject({
      stderr: `blob digest mismatch: expected ${image.id}, got ${sha256(tampered)}\n`,
      exitCode: 1,
    });
  });

  it('moves a tag that already exists, saying so as Docker does', async () => {
    const { tar, image } = await saved();
    const other = await simEngine({ 'app.tar': tar });
    await other.engine.exec('docker tag busybox app:v1');
    const busybox = (await other.engine.state()).images.find((i) => i.repoTags.includes('busybox:latest'))!;
    expect((await other.engine.exec('docker load -i app.tar')).stdout).toBe(
      `The image app:v1 already exists, renaming the old one with ID ${busybox.id} to empty string\nLoaded image: app:v1\n`,
    );
    expect((await other.engine.state()).images.find((i) => i.id === image.id)?.repoTags).toEqual(['app:v1']);
  });

  it('says what Docker says for a missing input and a file that is no archive', async () => {
    const other = await simEngine({ 'junk.tar': 'garbage\n' });
    expect(await other.engine.exec('docker load')).toEqual({ stdout: '', stderr: 'requested load from stdin, but stdin is empty\n', exitCode: 1 });
    expect(await other.engine.exec('docker load -i nope.tar')).toEqual({
      stdout: '',
      stderr: 'open nope.tar: no such file or directory\n',
      exitCode: 1,
    });
    expect(await other.engine.exec('docker load -i junk.tar')).toEqual({
      stdout: '',
      stderr: 'Error processing tar file(exit status 1): unexpected EOF\n',
      exitCode: 1,
    });
  });
});
