import { describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import { createSimEngine } from '../../src/sim/create-sim-engine.js';
import { MemoryWorkspace } from '../../src/sim/memory-workspace.js';
import { SimRegistryTransport } from '../../src/sim/registry/sim-registry-transport.js';
import { hostBaseLayerSource } from '../support/host-base-layer.js';
import { useLinuxEngine } from '../support/linux-engine.js';
import { missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';

const run = requirePrereqs('linux', missingLinuxPrereqs());

/** The build both backends make: a COPY layer's tar names its files' modes and owners, not times, so it is the same bytes on each. */
function context(): MemoryWorkspace {
  return new MemoryWorkspace([
    { path: 'Dockerfile', bytes: 'FROM busybox\nCOPY app.txt /app/app.txt\n' },
    { path: 'app.txt', bytes: 'the same bytes on both backends\n' },
  ]);
}

/** Pushes busybox and a build on it; the digests and the manifest's layer blobs each push named. */
async function pushBoth(engine: Engine, registry: SimRegistryTransport): Promise<{ busybox: string; layers: string[] }> {
  const exec = async (line: string) => {
    const r = await engine.exec(line);
    expect(r.exitCode, `${line}: ${r.stderr}`).toBe(0);
    return r.stdout;
  };
  await exec('docker tag busybox localhost:5000/bb');
  const busybox = /latest: digest: (sha256:\S+) size/.exec(await exec('docker push localhost:5000/bb'))![1]!;
  await exec('docker build -q -t localhost:5000/app .');
  await exec('docker push localhost:5000/app');
  const res = await registry.request({
    method: 'GET',
    host: 'localhost:5000',
    path: '/v2/app/manifests/latest',
    headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json' },
  });
  const manifest = JSON.parse(new TextDecoder().decode(await res.body())) as { layers: { digest: string; size: number }[] };
  return { busybox, layers: manifest.layers.map((l) => `${l.digest} ${l.size}`) };
}

describe.skipIf(!run)('a push gives the same digests on the simulator and on runc (one gzip in the engine)', () => {
  const registry = new SimRegistryTransport();
  const linux = useLinuxEngine('layerlab-registry-digests-', context, () => ({ registry }));

  it('names busybox:latest by the same manifest digest, and a built layer by the same blob', async () => {
    const simRegistry = new SimRegistryTransport();
    const sim = await createSimEngine({ registry: simRegistry, layerSource: hostBaseLayerSource(), workspace: context() });
    const onSim = await pushBoth(sim, simRegistry);
    await sim.dispose();
    const onRunc = await pushBoth(linux.engine, registry);
    expect(onRunc.busybox).toBe(onSim.busybox);
    expect(onRunc.layers).toEqual(onSim.layers);
    expect(onRunc.layers).toHaveLength(2);
  }, 120_000);
});
