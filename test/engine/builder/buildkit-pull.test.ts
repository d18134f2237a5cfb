import { describe, expect, it } from 'vitest';
import { sha256 } from '../../../src/engine/digest.js';
import { buildkitBytes } from '../../../src/engine/builder/progress/buildkit-bytes.js';
import { createSimEngine } from '../../../src/sim/create-sim-engine.js';
import { MemoryWorkspace } from '../../../src/sim/memory-workspace.js';
import { SimRegistryTransport } from '../../../src/sim/registry/sim-registry-transport.js';
import { rawTar } from '../../security/hostile-tar.js';
import { FakeClock } from '../support/fake-clock.js';
import { seedImage } from '../support/registry-images.js';
import { seeded } from '../support/sim-engine.js';

/** A simulator engine whose `localhost:5000` is `registry` (none: a backend without one), `Dockerfile` in its workspace. */
async function anEngine(registry: SimRegistryTransport | undefined, dockerfile: string) {
  const clock = new FakeClock();
  const workspace = new MemoryWorkspace();
  await workspace.write('Dockerfile', new TextEncoder().encode(dockerfile));
  const engine = await createSimEngine({
    clock,
    random: seeded(),
    workspace,
    ...(registry ? { registry } : { decorate: (d) => ({ ...d, registry: undefined }) }),
  });
  const run = (line: string) => clock.settle(engine.exec(line));
  return { engine, run };
}

const LAYER = rawTar([{ name: 'hi', data: 'hi\n' }]);

describe('BuildKit (docker build) pulls a FROM image that is not here', () => {
  it('pulls the base under its FROM vertex, builds on it, tags nothing but the build; a second build pulls nothing', async () => {
    const registry = new SimRegistryTransport();
    await seedImage(registry, 'base', LAYER);
    const { engine, run } = await anEngine(registry, 'FROM localhost:5000/base\nENV X=1\n');
    const layersBefore = (await engine.state()).layers.length;

    const first = await run('docker build -t app .');
    expect(first.exitCode).toBe(0);
    const from = /#(\d+) \[1\/1\] FROM (localhost:5000\/base:latest@sha256:[0-9a-f]{64})\n/.exec(first.stderr);
    expect(from).not.toBeNull();
    const [, n, pinned] = from!;
    expect(first.stderr).toContain(`#2 [internal] load metadata for localhost:5000/base:latest\n#2 DONE 0.0s\n`);
    expect(first.stderr).toContain(`#${n} resolve ${pinned} 0.0s done\n#${n} extracting sha256:`);
    expect(first.stderr).toMatch(new RegExp(`#${n} sha256:[0-9a-f]{64} \\d+B / \\d+B 0\\.0s done\\n#${n} DONE 0\\.0s\\n`));
    expect((await engine.state()).layers.length).toBe(layersBefore + 1);
    // Docker's classic image store: BuildKit's base is in no image record, only the build's image is.
    const listed = (await run('docker images')).stdout.split('\n').slice(1, -1);
    expect(listed.map((row) => row.split(/\s+/)[0])).toEqual(['app', 'busybox']);
    expect((await run("docker image inspect -f '{{json .RootFS.Layers}}' app")).stdout).toBe(`["${sha256(LAYER)}"]\n`);

    const second = await run('docker build -t app:again .');
    expect(second.exitCode).toBe(0);
    expect(second.stderr).toContain(`#${n} [1/1] FROM ${pinned}\n#${n} DONE 0.0s\n`);
    expect(second.stderr).not.toContain('resolve ');
  });

  it('pulls a base two stages name once, and names it in both FROM vertices', async () => {
    const registry = new SimRegistryTransport();
    await seedImage(registry, 'base', LAYER);
    const { run } = await anEngine(registry, 'FROM localhost:5000/base AS one\nENV X=1\nFROM localhost:5000/base\nCOPY --from=one /hi /copy\n');
    const r = await run('docker build -t app .');
    expect(r.exitCode).toBe(0);
    expect(r.stderr.match(/\] FROM localhost:5000\/base:latest@sha256:/g)).toHaveLength(2);
    expect(r.stderr.match(/ resolve localhost:5000\/base:latest@sha256:/g)).toHaveLength(1);
  });

  it('pulls again once the layers BuildKit had are gone with the image built on them', async () => {
    const registry = new SimRegistryTransport();
    await seedImage(registry, 'base', LAYER);
    const { run } = await anEngine(registry, 'FROM localhost:5000/base\nENV X=1\n');
    expect((await run('docker build -t app .')).exitCode).toBe(0);
    expect((await run('docker rmi app')).stdout).toContain(`Deleted: ${sha256(LAYER)}`);
    const again = await run('docker build -t app .');
    expect(again.exitCode).toBe(0);
    expect(again.stderr).toContain(' resolve localhost:5000/base:latest@sha256:');
  });

  it('fails the metadata load of a tag the registry does not have, in BuildKit’s words, before any step', async () => {
    const { run } = await anEngine(new SimRegistryTransport(), 'FROM localhost:5000/nope\nRUN true\n');
    const r = await run('docker build -t app .');
    expect(r.exitCode).toBe(1);
    expect(r.error?.code).toBe('BUILD_BASE_UNRESOLVED');
    expect(r.stderr).toContain(
      '#2 [internal] load metadata for localhost:5000/nope:latest\n#2 ERROR: localhost:5000/nope:latest: not found\n------\n > [internal] load metadata for localhost:5000/nope:latest:\n------\nDockerfile:1\n',
    );
    expect(r.stderr).not.toContain('.dockerignore');
    expect(
      r.stderr.endsWith(
        'ERROR: failed to solve: localhost:5000/nope: failed to resolve source metadata for localhost:5000/nope:latest: localhost:5000/nope:latest: not found\n',
      ),
    ).toBe(true);
  });

  it('says why a base on Docker Hub, another host or a registry that is not there cannot be resolved', async () => {
    const hub = await anEngine(new SimRegistryTransport(), 'FROM python:3\n');
    expect((await hub.run('docker build .')).stderr).toContain(
      'ERROR: failed to solve: python:3: failed to resolve source metadata for docker.io/library/python:3: docker.io/library/python:3: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed\n',
    );
    const other = await anEngine(new SimRegistryTransport(), 'FROM example.com/app\n');
    expect((await other.run('docker build .')).stderr).toContain(
      'failed to resolve source metadata for example.com/app:latest: failed to do request: Head "https://example.com/v2/app/manifests/latest": dial tcp: lookup example.com: no such host\n',
    );
    const none = await anEngine(undefined, 'FROM localhost:5000/base\n');
    expect((await none.run('docker build .')).stderr).toContain(
      'failed to do request: Head "http://localhost:5000/v2/base/manifests/latest": dial tcp 127.0.0.1:5000: connect: connection refused\n',
    );
  });

  it('refuses a base whose layer climbs out of the root, as docker load does, and keeps no layer of it', async () => {
    const registry = new SimRegistryTransport();
    await seedImage(registry, 'evil', rawTar([{ name: '../escape', data: 'x' }]));
    const { engine, run } = await anEngine(registry, 'FROM localhost:5000/evil\n');
    const layersBefore = (await engine.state()).layers.length;
    const r = await run('docker build -t app .');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/ERROR: failed to solve: .*\.\.\/escape/);
    expect((await engine.state()).layers.length).toBe(layersBefore);
    expect((await run('docker images -q app')).stdout).toBe('');
  });

  it('refuses a base whose layer is not what its diffID says', async () => {
    const registry = new SimRegistryTransport();
    await seedImage(registry, 'liar', LAYER, sha256('something else'));
    const { run } = await anEngine(registry, 'FROM localhost:5000/liar\n');
    const r = await run('docker build -t app .');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('ERROR: failed to solve: invalid diffID for layer 0');
  });
});

describe('buildkitBytes', () => {
  it('writes a status’s bytes as buildx’s %.2f of units.Bytes does', () => {
    expect(buildkitBytes(735)).toBe('735B');
    expect(buildkitBytes(999)).toBe('999B');
    expect(buildkitBytes(1000)).toBe('1.00kB');
    expect(buildkitBytes(1320)).toBe('1.32kB');
    expect(buildkitBytes(1125)).toBe('1.12kB');
    expect(buildkitBytes(1135)).toBe('1.14kB'); // the double is 1.13500000000000000888
    expect(buildkitBytes(1625)).toBe('1.62kB');
    expect(buildkitBytes(1375)).toBe('1.38kB');
    expect(buildkitBytes(3_397_000)).toBe('3.40MB');
  });
});
