import { describe, expect, it } from 'vitest';
import { missingRegistryPrereqs, requirePrereqs } from '../support/prereqs.js';
import { useLinuxSandboxApp } from '../support/linux-sandbox-app.js';
import { hostBaseLayerSource } from '../support/host-base-layer.js';
import { createSimEngine } from '../../src/sim/create-sim-engine.js';

const run = requirePrereqs('registry', missingRegistryPrereqs());
const DIGEST = /Digest: (sha256:[0-9a-f]{64})/;

describe.skipIf(!run)("the sandbox registry's seeded images", () => {
  const sandbox = useLinuxSandboxApp('layerlab-registry-seeds-', { maxSessions: 4 }, { registry: true });

  type Exec = ((command: string) => Promise<{ stdout: string; stderr: string; exitCode: number }>) & { id: string; token: string };
  async function newSession(files: Record<string, string> = {}): Promise<Exec> {
    const res = await sandbox.app.inject({ method: 'POST', url: '/api/sessions' });
    const { id, token } = res.json();
    const authorization = `Bearer ${token}`;
    for (const [name, text] of Object.entries(files)) {
      const put = await sandbox.app.inject({
        method: 'PUT',
        url: `/api/sessions/${id}/files/${name}`,
        headers: { authorization, 'content-type': 'application/octet-stream' },
        payload: Buffer.from(text),
      });
      expect(put.statusCode).toBeLessThan(300);
    }
    const exec = async (command: string) => {
      const out = await sandbox.app.inject({ method: 'POST', url: `/api/sessions/${id}/commands`, headers: { authorization }, payload: { command } });
      expect(out.statusCode, command).toBe(200);
      return out.json() as { stdout: string; stderr: string; exitCode: number };
    };
    return Object.assign(exec, { id, token });
  }

  it("is pulled by a new session with the simulator's manifest digest, and stays when a learner pushes to its name", async () => {
    const sim = await createSimEngine({ layerSource: hostBaseLayerSource() });
    const onSim = await sim.exec('docker pull localhost:5000/busybox');
    expect(onSim.exitCode, onSim.stderr).toBe(0);
    const seed = DIGEST.exec(onSim.stdout)![1];
    const helloOnSim = await sim.exec('docker pull localhost:5000/hello-world');
    expect(helloOnSim.exitCode, helloOnSim.stderr).toBe(0);
    await sim.dispose();

    const a = await newSession({ Dockerfile: 'FROM busybox\nRUN echo mine > /mine\n' });
    const pulled = await a('docker pull localhost:5000/busybox');
    expect(pulled.exitCode, pulled.stderr).toBe(0);
    expect(pulled.stdout).toBe(onSim.stdout);
    expect((await a('docker run --rm localhost:5000/busybox echo seeded')).stdout).toBe('seeded\n');
    // hello-world's own layer, made by the engine's tar writer on each backend: the same blob and manifest digests.
    expect((await a('docker pull localhost:5000/hello-world')).stdout).toBe(helloOnSim.stdout);
    expect((await a('docker run --rm localhost:5000/hello-world')).stdout).toContain('Hello from the registry');

    // A push to the seed's name goes to the learner's namespace, nothing taken from the seed's.
    expect((await a('docker build -q -t localhost:5000/busybox .')).exitCode).toBe(0);
    const push = await a('docker push localhost:5000/busybox');
    expect(push.exitCode, push.stderr).toBe(0);
    expect(push.stdout.match(/: Pushed\n/g)).toHaveLength(2);
    const mine = /latest: digest: (sha256:[0-9a-f]{64})/.exec(push.stdout)![1];
    expect(mine).not.toBe(seed);
    expect((await a('docker rmi localhost:5000/busybox')).exitCode).toBe(0);
    expect((await a('docker pull localhost:5000/busybox')).stdout).toContain(`Digest: ${mine}`);

    const b = await newSession();
    expect((await b('docker pull localhost:5000/busybox')).stdout).toContain(`Digest: ${seed}`);
    // The learner's namespace goes with their session; the seed's blobs stay.
    expect(
      (await sandbox.app.inject({ method: 'DELETE', url: `/api/sessions/${a.id}`, headers: { authorization: `Bearer ${a.token}` } })).statusCode,
    ).toBe(204);
    const c = await newSession();
    expect((await c('docker pull localhost:5000/busybox')).stdout).toContain(`Digest: ${seed}`);
    expect((await c('docker run --rm localhost:5000/busybox echo still')).stdout).toBe('still\n');
  });
});
