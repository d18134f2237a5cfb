import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import { createSimEngine } from '../../src/sim/create-sim-engine.js';
import { fetchedLayerSource } from '../../src/sim/fetched-layer-source.js';
import { MemoryWorkspace } from '../../src/sim/memory-workspace.js';
import { useLinuxEngine } from '../support/linux-engine.js';
import { missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';

const run = requirePrereqs('linux', missingLinuxPrereqs());

const DOCKERFILE = 'FROM busybox\nCOPY hello.txt /hello.txt\nENV GREETING=hi\nCMD ["cat", "/hello.txt"]\n';
const files = () => [
  { path: 'Dockerfile', bytes: new TextEncoder().encode(DOCKERFILE) },
  { path: 'hello.txt', bytes: new TextEncoder().encode('hello\n') },
];

/**
 * `docker save` of busybox images in the simulator, with the base layer the site build
 * writes (scripts/build-base-layer.mjs, from the host's busybox-static), against the
 * sandbox's: the same archive, byte for byte.
 */
describe.skipIf(!run)("docker save in the simulator writes the sandbox's bytes (root)", () => {
  const sandboxFiles = new MemoryWorkspace();
  const linux = useLinuxEngine('layerlab-save-base-', () => sandboxFiles);
  const site = mkdtempSync(join(tmpdir(), 'layerlab-site-'));
  let sim: Engine;
  let simFiles: MemoryWorkspace;
  let fetched: string[];
  beforeAll(async () => {
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-base-layer.mjs', site]);
    fetched = [];
    // The page's fetch, served from the built site's dir.
    const fromSite = (async (url: string) => {
      fetched.push(url);
      const bytes = await readFile(join(site, new URL(url).pathname)).catch(() => undefined);
      return bytes ? new Response(bytes) : new Response('not found', { status: 404 });
    }) as typeof fetch;
    simFiles = new MemoryWorkspace(files());
    sim = await createSimEngine({ workspace: simFiles, layerSource: fetchedLayerSource('http://site.test/', fromSite) });
  });
  afterAll(() => {
    sim?.dispose();
    rmSync(site, { recursive: true, force: true });
  });

  it("busybox:latest saved in the simulator is the sandbox's archive", async () => {
    expect(await sim.exec('docker save -o b.tar busybox')).toMatchObject({ stderr: '', exitCode: 0 });
    expect(await linux.engine.exec('docker save -o b.tar busybox')).toMatchObject({ stderr: '', exitCode: 0 });
    const [simTar, sandboxTar] = [(await simFiles.read('b.tar'))!, (await sandboxFiles.read('b.tar'))!];
    expect(simTar.length).toBeGreaterThan(2_000_000);
    expect(Buffer.from(simTar).equals(Buffer.from(sandboxTar))).toBe(true);
    // Fetched once: the second save reads the layer from the content store.
    expect((await sim.exec('docker save -o c.tar busybox')).exitCode).toBe(0);
    expect(fetched).toHaveLength(1);
  });

  it('an image built on busybox in the simulator, loaded into the sandbox, saves there to the same bytes', async () => {
    expect((await sim.exec('docker build -t greet .')).exitCode).toBe(0);
    expect(await sim.exec('docker save -o greet.tar greet')).toMatchObject({ stderr: '', exitCode: 0 });
    const simTar = (await simFiles.read('greet.tar'))!;
    await sandboxFiles.write('greet.tar', simTar);
    expect(await linux.engine.exec('docker load -i greet.tar')).toMatchObject({ stdout: 'Loaded image: greet:latest\n', exitCode: 0 });
    expect(await linux.engine.exec('docker save -o again.tar greet')).toMatchObject({ stderr: '', exitCode: 0 });
    expect(Buffer.from((await sandboxFiles.read('again.tar'))!).equals(Buffer.from(simTar))).toBe(true);
  });
});
