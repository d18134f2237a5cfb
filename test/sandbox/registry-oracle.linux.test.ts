import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryWorkspace } from '../../src/sim/memory-workspace.js';
import { startDockerRegistry, type DockerRegistry } from '../support/docker-registry.js';
import { useLinuxEngine } from '../support/linux-engine.js';
import { missingOracleRegistryPrereqs, requirePrereqs } from '../support/prereqs.js';
import { DOCKER, startOracle } from '../../scripts/lib/oracle.mjs';

const run = requirePrereqs('oracle registry', missingOracleRegistryPrereqs());

/**
 * Layerlab and Docker on one real registry (Debian's docker-registry 2.8): what the engine
 * pushes — its own gzip, its schema 2 manifest — Docker pulls and runs, and what Docker pushes
 * the engine pulls and runs. The learner's `localhost:5000` reaches the registry's real port
 * through the engine's transport; Docker names that port.
 */
describe.skipIf(!run)('push and pull between Layerlab and the Docker oracle (root)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'layerlab-registry-oracle-'));
  // The engine's state dir below it is opened for the user namespace's root.
  chmodSync(dir, 0o711);
  let registry: DockerRegistry | undefined;
  let oracle: { env: Record<string, string>; stop(): Promise<void> } | undefined;
  const workspace = () =>
    new MemoryWorkspace([
      { path: 'Dockerfile', bytes: 'FROM busybox\nRUN echo made by layerlab > /made\nCMD ["cat", "/made"]\n' },
      { path: 'on-docker.Dockerfile', bytes: 'FROM localhost:5000/docker-base\nRUN cat /made\n' },
    ]);
  // Before useLinuxEngine's beforeAll (hooks run in the order they are declared): the registry is up when the engine opens.
  beforeAll(async () => {
    registry = await startDockerRegistry(dir);
    oracle = await startOracle();
  }, 120_000);
  const linux = useLinuxEngine('layerlab-registry-oracle-engine-', workspace, () => ({ registry: registry!.transport }));
  afterAll(async () => {
    await oracle?.stop();
    await registry?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  const docker = (...args: string[]) => {
    const r = spawnSync(DOCKER, args, { env: { ...process.env, ...oracle!.env }, encoding: 'utf8' });
    return { stdout: r.stdout, stderr: r.stderr, exitCode: r.status };
  };

  it('Docker pulls and runs an image Layerlab built and pushed, and pushes it back with the same digest', async () => {
    expect((await linux.engine.exec('docker build -q -t localhost:5000/from-layerlab .')).exitCode).toBe(0);
    const pushed = await linux.engine.exec('docker push localhost:5000/from-layerlab');
    expect(pushed.exitCode, pushed.stderr).toBe(0);
    const digest = /latest: digest: (sha256:[0-9a-f]{64})/.exec(pushed.stdout)![1]!;
    const ref = `localhost:${registry!.port}/from-layerlab`;
    const pulled = docker('pull', ref);
    expect(pulled.exitCode, pulled.stderr).toBe(0);
    expect(pulled.stdout).toContain(`Digest: ${digest}\n`);
    expect(docker('run', '--rm', '--network', 'none', ref)).toMatchObject({ stdout: 'made by layerlab\n', exitCode: 0 });
    // Docker reads the blobs as the engine wrote them: its own push names the same manifest.
    const again = docker('push', ref);
    expect(again.stdout).toContain(`latest: digest: ${digest} `);
    expect(again.stdout.match(/: Layer already exists$/gm)).toHaveLength(2);
  }, 120_000);

  it('Layerlab pulls and runs an image Docker committed and pushed', async () => {
    const ref = `localhost:${registry!.port}/from-docker`;
    expect(docker('run', '--network', 'none', '--name', 'maker', 'busybox', 'sh', '-c', 'echo made by docker > /made').exitCode).toBe(0);
    expect(docker('commit', 'maker', ref).exitCode).toBe(0);
    const pushed = docker('push', ref);
    expect(pushed.exitCode, pushed.stderr).toBe(0);
    const digest = /latest: digest: (sha256:[0-9a-f]{64})/.exec(pushed.stdout)![1]!;
    const pulled = await linux.engine.exec('docker pull localhost:5000/from-docker');
    expect(pulled.exitCode, pulled.stderr).toBe(0);
    expect(pulled.stdout).toContain(`Digest: ${digest}\n`);
    expect(pulled.stdout.match(/: Pull complete$/gm)!.length).toBeGreaterThanOrEqual(1);
    expect(await linux.engine.exec('docker run --rm localhost:5000/from-docker cat /made')).toMatchObject({
      stdout: 'made by docker\n',
      exitCode: 0,
    });
  }, 120_000);

  it('Layerlab builds with BuildKit on an image Docker pushed: pulled under the FROM vertex, never listed', async () => {
    const ref = `localhost:${registry!.port}/docker-base`;
    // Not the previous test's content: a commit of the same file in the same second is the same layer, which that test's pull left here.
    expect(docker('run', '--network', 'none', '--name', 'based', 'busybox', 'sh', '-c', 'echo based by docker > /made').exitCode).toBe(0);
    expect(docker('commit', 'based', ref).exitCode).toBe(0);
    const pushed = docker('push', ref);
    expect(pushed.exitCode, pushed.stderr).toBe(0);
    const digest = /latest: digest: (sha256:[0-9a-f]{64})/.exec(pushed.stdout)![1]!;
    const built = await linux.engine.exec('docker build -f on-docker.Dockerfile -t on-docker .');
    expect(built.exitCode, built.stderr).toBe(0);
    expect(built.stderr).toContain(`[1/2] FROM localhost:5000/docker-base:latest@${digest}\n`);
    expect(built.stderr).toContain(` resolve localhost:5000/docker-base:latest@${digest} `);
    expect(built.stderr).toMatch(/#\d+ extracting sha256:[0-9a-f]{64} \d+\.\ds done\n/);
    expect(built.stderr).toMatch(/#\d+ \d+\.\d+ based by docker\n/);
    expect((await linux.engine.exec('docker images -q localhost:5000/docker-base')).stdout).toBe('');
  }, 120_000);
});
