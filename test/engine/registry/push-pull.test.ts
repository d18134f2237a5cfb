import { describe, expect, it } from 'vitest';
import { sha256 } from '../../../src/engine/digest.js';
import type { Engine } from '../../../src/engine/engine.js';
import { createSimEngine } from '../../../src/sim/create-sim-engine.js';
import { MemoryWorkspace } from '../../../src/sim/memory-workspace.js';
import { SimRegistryTransport } from '../../../src/sim/registry/sim-registry-transport.js';
import { rawTar } from '../../security/hostile-tar.js';
import { FakeClock } from '../support/fake-clock.js';
import { seeded } from '../support/sim-engine.js';
import { seedImage } from '../support/registry-images.js';

/** An engine on the simulator whose `localhost:5000` is `registry` (several engines may share one). */
async function anEngine(registry: SimRegistryTransport | undefined, files: Record<string, string> = {}) {
  const clock = new FakeClock();
  const workspace = new MemoryWorkspace();
  for (const [path, text] of Object.entries(files)) await workspace.write(path, new TextEncoder().encode(text));
  const engine = await createSimEngine({
    clock,
    random: seeded(),
    workspace,
    ...(registry ? { registry } : { decorate: (d) => ({ ...d, registry: undefined }) }),
  });
  const run = async (line: string) => {
    const r = await clock.settle(engine.exec(line));
    return { ...r, text: `${r.stdout}${r.stderr.replace(/^(?=.)/gm, '! ')}[exit ${r.exitCode}]` };
  };
  return { engine, run };
}

const SCRATCH_APP = { Dockerfile: 'FROM scratch\nCOPY a.txt /a.txt\nCOPY b.txt /b.txt\n', 'a.txt': 'first layer\n', 'b.txt': 'second layer\n' };

async function imageId(engine: Engine, ref: string): Promise<string> {
  return (await engine.exec(`docker image inspect -f '{{.Id}}' ${ref}`)).stdout.trim();
}

describe('docker push and pull on the simulator', () => {
  it('moves an image from one engine to another through the registry: same image ID, every layer pulled, and it saves', async () => {
    const registry = new SimRegistryTransport();
    const a = await anEngine(registry, SCRATCH_APP);
    expect((await a.run('docker build -q -t localhost:5000/app .')).exitCode).toBe(0);
    const pushed = await a.run('docker push localhost:5000/app');
    expect(pushed.exitCode).toBe(0);
    expect(pushed.stdout.match(/: Pushed$/gm)).toHaveLength(2);

    const b = await anEngine(registry);
    const pulled = await b.run('docker pull localhost:5000/app');
    expect(pulled.exitCode).toBe(0);
    expect(pulled.stdout.match(/: Pull complete$/gm)).toHaveLength(2);
    expect(pulled.stdout).not.toMatch(/Already exists/);
    expect(pulled.stdout.endsWith('Status: Downloaded newer image for localhost:5000/app:latest\nlocalhost:5000/app:latest\n')).toBe(true);
    expect(await imageId(b.engine, 'localhost:5000/app')).toBe(await imageId(a.engine, 'localhost:5000/app'));
    // The digest the push printed is the one the pull names, and the image records it.
    const digest = /latest: digest: (sha256:[0-9a-f]{64}) size/.exec(pushed.stdout)![1]!;
    expect(pulled.stdout).toContain(`Digest: ${digest}\n`);
    expect((await b.run(`docker image inspect -f '{{json .RepoDigests}}' localhost:5000/app`)).stdout).toBe(`["localhost:5000/app@${digest}"]\n`);
    expect((await b.run('docker save -o app.tar localhost:5000/app')).exitCode).toBe(0);
  });

  it('pushes only the layer a second image adds: the shared one is mounted or already there', async () => {
    const registry = new SimRegistryTransport();
    const a = await anEngine(registry, { ...SCRATCH_APP, 'Dockerfile.2': 'FROM localhost:5000/app\nCOPY a.txt /c.txt\n' });
    await a.run('docker build -q -t localhost:5000/app .');
    await a.run('docker push localhost:5000/app');
    await a.run('docker build -q -f Dockerfile.2 -t localhost:5000/app2 .');
    const second = await a.run('docker push localhost:5000/app2');
    expect(second.stdout.match(/: Mounted from app$/gm)).toHaveLength(2);
    expect(second.stdout.match(/: Pushed$/gm)).toHaveLength(1);
    const again = await a.run('docker push localhost:5000/app2');
    expect(again.stdout.match(/: Layer already exists$/gm)).toHaveLength(3);
  });

  it('says Waiting for each layer past the three dockerd downloads at once, after its Pulling fs layer (recorded on the oracle)', async () => {
    const registry = new SimRegistryTransport();
    const dockerfile = 'FROM scratch\n' + [1, 2, 3, 4, 5].map((n) => `COPY a.txt /${n}\n`).join('');
    const a = await anEngine(registry, { ...SCRATCH_APP, Dockerfile: dockerfile });
    await a.run('docker build -q -t localhost:5000/five .');
    await a.run('docker push localhost:5000/five');
    const b = await anEngine(registry);
    const lines = (await b.run('docker pull localhost:5000/five')).stdout.split('\n').map((l) => l.replace(/^[0-9a-f]{12}: /, ''));
    expect(lines.slice(2, 9)).toEqual([
      'Pulling fs layer',
      'Pulling fs layer',
      'Pulling fs layer',
      'Pulling fs layer',
      'Waiting',
      'Pulling fs layer',
      'Waiting',
    ]);
    expect(lines.filter((l) => l === 'Pull complete')).toHaveLength(5);
  });

  it('refuses a pulled layer that climbs out of the root, as docker load does, and keeps no image', async () => {
    const registry = new SimRegistryTransport();
    await seedImage(registry, 'evil', rawTar([{ name: '../escape', data: 'x' }]));
    const b = await anEngine(registry);
    const r = await b.run('docker pull localhost:5000/evil');
    expect(r.exitCode).toBe(1);
    expect(r.error?.code).toBe('LAYER_BREAKOUT');
    expect((await b.run('docker images -q localhost:5000/evil')).stdout).toBe('');
  });

  it('refuses a pulled layer that is not what its diffID says, and keeps no image', async () => {
    const registry = new SimRegistryTransport();
    await seedImage(registry, 'liar', rawTar([{ name: 'a', data: 'x' }]), sha256('something else'));
    const b = await anEngine(registry);
    const r = await b.run('docker pull localhost:5000/liar');
    expect(r.exitCode).toBe(1);
    expect(r.error?.code).toBe('DIGEST_MISMATCH');
    expect((await b.run('docker images -q localhost:5000/liar')).stdout).toBe('');
  });

  it('says Docker’s words for a registry that is not this machine’s, and for Docker Hub', async () => {
    const a = await anEngine(new SimRegistryTransport());
    expect((await a.run('docker pull example.com/x:1')).text).toBe(
      '! Error response from daemon: Get "https://example.com/v2/": dial tcp: lookup example.com: no such host\n[exit 1]',
    );
    expect((await a.run('docker pull python')).text).toBe(
      "Using default tag: latest\n! Error response from daemon: pull access denied for python, repository does not exist or may require 'docker login': denied: requested access to the resource is denied\n[exit 1]",
    );
    const run = await a.run('docker run --rm localhost:5000/none');
    expect(run.exitCode).toBe(125);
    expect(run.stderr).toBe(
      "Unable to find image 'localhost:5000/none:latest' locally\ndocker: Error response from daemon: manifest for localhost:5000/none:latest not found: manifest unknown: manifest unknown\n\nRun 'docker run --help' for more information\n",
    );
  });

  it('says why a busybox-based image cannot be pushed from a page built without the base layer’s bytes, and pushes nothing', async () => {
    const registry = new SimRegistryTransport();
    const a = await anEngine(registry);
    await a.run('docker tag busybox localhost:5000/bb');
    const r = await a.run('docker push localhost:5000/bb');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/holds content this backend does not have \(\/bin\/busybox\): .*only images not based on it can be pushed here\n$/);
    const catalog = await registry.request({ method: 'GET', host: 'localhost:5000', path: '/v2/_catalog', headers: {} });
    expect(JSON.parse(new TextDecoder().decode(await catalog.body()))).toEqual({ repositories: [] });
  });

  it('keeps push and pull refused on a backend with no registry', async () => {
    const a = await anEngine(undefined);
    expect((await a.run('docker push localhost:5000/x')).text).toBe("! layerlab: 'docker push' is not supported yet\n[exit 1]");
    expect((await a.run('docker image pull localhost:5000/x')).text).toBe("! layerlab: 'docker pull' is not supported yet\n[exit 1]");
    expect((await a.run('docker run --rm localhost:5000/x')).stderr).toContain('pull access denied for localhost:5000/x');
  });

  it("says a workshop's class namespace needs the sandbox, for push and pull alike, and stores nothing under it", async () => {
    const registry = new SimRegistryTransport();
    const a = await anEngine(registry, SCRATCH_APP);
    expect((await a.run('docker build -q -t localhost:5000/class/alice-1/app .')).exitCode).toBe(0);
    const push = await a.run('docker push localhost:5000/class/alice-1/app');
    expect(push.exitCode).toBe(1);
    expect(push.stdout).toContain('The push refers to repository [localhost:5000/class/alice-1/app]');
    expect(push.stderr).toBe(
      "denied: localhost:5000/class/ is a workshop's class namespace, on the sandbox server only: this page runs the in-browser simulator\n",
    );
    expect((await a.run('docker pull localhost:5000/class/bob-2/app')).text).toBe(
      "Using default tag: latest\n! Error response from daemon: pull access denied for localhost:5000/class/bob-2/app, repository does not exist or may require 'docker login': denied: localhost:5000/class/ is a workshop's class namespace, on the sandbox server only: this page runs the in-browser simulator\n[exit 1]",
    );
    const catalog = await registry.request({ method: 'GET', host: 'localhost:5000', path: '/v2/_catalog', headers: {} });
    expect(JSON.parse(new TextDecoder().decode(await catalog.body()))).toEqual({ repositories: [] });
    // Only the first component is the class namespace's: `classes/app` is a name like any other.
    expect((await a.run('docker tag localhost:5000/class/alice-1/app localhost:5000/classes/app')).exitCode).toBe(0);
    expect((await a.run('docker push localhost:5000/classes/app')).exitCode).toBe(0);
  });
});
