import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { missingRegistryPrereqs, requirePrereqs } from '../support/prereqs.js';
import { useLinuxSandboxApp } from '../support/linux-sandbox-app.js';
import { MANIFEST, call, pushImage } from '../support/registry-push.js';
import { hostBaseLayerSource } from '../support/host-base-layer.js';
import type { RegistryTransport } from '../../src/engine/drivers/registry.js';
import { createSimEngine } from '../../src/sim/create-sim-engine.js';
import { MemoryWorkspace } from '../../src/sim/memory-workspace.js';
import { SimRegistryTransport } from '../../src/sim/registry/sim-registry-transport.js';
import { registryPaths } from '../../sandbox-server/linux/registry-config.js';
import { sessionPrefix } from '../../sandbox-server/linux/registry-names.js';

const run = requirePrereqs('registry', missingRegistryPrereqs());

describe.skipIf(!run)('the sandbox API with its registry', () => {
  const sandbox = useLinuxSandboxApp('layerlab-registry-api-', { maxSessions: 4 }, { registry: true });

  async function newSession(): Promise<{ id: string; auth: { authorization: string } }> {
    const res = await sandbox.app.inject({ method: 'POST', url: '/api/sessions' });
    expect(res.statusCode).toBe(201);
    const { id, token } = res.json();
    return { id, auth: { authorization: `Bearer ${token}` } };
  }

  it('reports the registry in /api/health without its port', async () => {
    const res = await sandbox.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.json().registry).toEqual({ available: true, missing: [] });
    const origin = await sandbox.imageRegistry!.registryProcess.origin();
    expect(res.body).not.toContain(new URL(origin).port);
  });

  it("removes a session's namespace, manifests and blobs when the session is deleted", async () => {
    const s = await newSession();
    const quota = { bytes: 1 << 20, repositories: 5 };
    // The session's own transport (its engine's) writes under its prefix.
    const pushed = await pushImage(
      sandbox.imageRegistry!.transport(s.id, quota),
      'app',
      'latest',
      new TextEncoder().encode('layer of a deleted session'),
    );
    expect(pushed.put.status).toBe(201);
    const storage = registryPaths(sandbox.stateDir).storage;
    const namespace = join(storage, 'docker/registry/v2/repositories', sessionPrefix(s.id));
    const blob = (digest: string) => join(storage, 'docker/registry/v2/blobs/sha256', digest.slice(7, 9), digest.slice(7));
    expect(existsSync(namespace)).toBe(true);
    expect(existsSync(blob(pushed.layer))).toBe(true);

    expect((await sandbox.app.inject({ method: 'DELETE', url: `/api/sessions/${s.id}`, headers: s.auth })).statusCode).toBe(204);
    expect(existsSync(namespace)).toBe(false);
    for (const digest of [pushed.layer, pushed.config, pushed.manifest]) expect(existsSync(blob(digest)), digest).toBe(false);
    const after = sandbox.imageRegistry!.transport(s.id, quota);
    expect((await call(after, 'GET', '/v2/app/manifests/latest')).status).toBe(404);
  });
});

describe.skipIf(!run)('docker push and pull through the session API on runc', () => {
  const sandbox = useLinuxSandboxApp('layerlab-registry-e2e-', { maxSessions: 4 }, { registry: true });

  type Exec = ((command: string) => Promise<{ stdout: string; stderr: string; exitCode: number }>) & { id: string; token: string };
  async function newSession(): Promise<Exec> {
    const res = await sandbox.app.inject({ method: 'POST', url: '/api/sessions' });
    const { id, token } = res.json();
    const exec = async (command: string) => {
      const out = await sandbox.app.inject({
        method: 'POST',
        url: `/api/sessions/${id}/commands`,
        headers: { authorization: `Bearer ${token}` },
        payload: { command },
      });
      expect(out.statusCode, command).toBe(200);
      return out.json() as { stdout: string; stderr: string; exitCode: number };
    };
    return Object.assign(exec, { id, token });
  }

  it('pushes an image to localhost:5000, pulls it back after rmi and runs it; another session cannot pull it', async () => {
    const a = await newSession();
    expect((await a('docker tag busybox localhost:5000/app:v1')).exitCode).toBe(0);
    const push = await a('docker push localhost:5000/app:v1');
    expect(push.exitCode, push.stderr).toBe(0);
    expect(push.stdout).toContain('The push refers to repository [localhost:5000/app]');
    const digest = /v1: digest: (sha256:[0-9a-f]{64}) size: \d+/.exec(push.stdout)?.[1];
    expect(digest).toBeDefined();
    expect((await a('docker rmi localhost:5000/app:v1')).exitCode).toBe(0);
    const pull = await a('docker pull localhost:5000/app:v1');
    expect(pull.exitCode, pull.stderr).toBe(0);
    expect(pull.stdout).toContain(`Digest: ${digest}`);
    const ran = await a('docker run --rm localhost:5000/app:v1 echo pulled');
    expect(ran.stdout).toBe('pulled\n');

    const b = await newSession();
    const refused = await b('docker pull localhost:5000/app:v1');
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toMatch(/manifest unknown|not found/);
  });

  it('gives the same manifest and blob digests as the simulator for the same build (sim = real, through the server transport)', async () => {
    const files = { Dockerfile: 'FROM busybox\nCOPY app.txt /app/app.txt\n', 'app.txt': 'the same bytes on both backends\n' };
    const steps = [
      'docker tag busybox localhost:5000/bb',
      'docker push localhost:5000/bb',
      'docker build -q -t localhost:5000/app .',
      'docker push localhost:5000/app',
    ];
    const digestOf = (out: string, tag: string) => new RegExp(`${tag}: digest: (sha256:[0-9a-f]{64}) size: (\\d+)`).exec(out)?.slice(1).join(' ');

    const simRegistry = new SimRegistryTransport();
    const sim = await createSimEngine({
      registry: simRegistry,
      layerSource: hostBaseLayerSource(),
      workspace: new MemoryWorkspace(Object.entries(files).map(([path, bytes]) => ({ path, bytes }))),
    });
    const onSim: string[] = [];
    for (const step of steps) {
      const r = await sim.exec(step);
      expect(r.exitCode, `${step}: ${r.stderr}`).toBe(0);
      onSim.push(r.stdout);
    }
    await sim.dispose();

    const real = await newSession();
    for (const [name, text] of Object.entries(files)) {
      const put = await sandbox.app.inject({
        method: 'PUT',
        url: `/api/sessions/${real.id}/files/${name}`,
        headers: { authorization: `Bearer ${real.token}`, 'content-type': 'application/octet-stream' },
        payload: Buffer.from(text),
      });
      expect(put.statusCode).toBeLessThan(300);
    }
    const onRunc: string[] = [];
    for (const step of steps) {
      const r = await real(step);
      expect(r.exitCode, `${step}: ${r.stderr}`).toBe(0);
      onRunc.push(r.stdout);
    }
    // busybox:latest is the same image on both: the same manifest digest and size.
    expect(digestOf(onRunc[1]!, 'latest')).toBeDefined();
    expect(digestOf(onRunc[1]!, 'latest')).toBe(digestOf(onSim[1]!, 'latest'));
    // A build's config keeps its creation time (so its manifest differs); its layers are the same blobs, layer by layer.
    const manifestOn = async (t: RegistryTransport) =>
      JSON.parse((await call(t, 'GET', '/v2/app/manifests/latest', undefined, { accept: MANIFEST })).text) as {
        config: { digest: string };
        layers: { digest: string }[];
      };
    const realManifest = await manifestOn(sandbox.imageRegistry!.transport(real.id, { bytes: 1 << 30, repositories: 20 }));
    expect(realManifest.layers).toEqual((await manifestOn(simRegistry)).layers);
    expect(realManifest.layers).toHaveLength(2);
  }, 120_000);
});
