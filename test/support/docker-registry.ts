import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RegistryTransport } from '../../src/engine/drivers/registry.js';
import { freePort } from './free-port.js';

export interface DockerRegistry {
  port: number;
  /** The registry's API reached directly, whatever host the learner named: no session prefix, no quota (the server's transport adds those). */
  transport: RegistryTransport;
  stop(): Promise<void>;
}

/**
 * Debian's docker-registry (distribution 2.8) on a free loopback port, its config and storage
 * under `dir`, for tests and benchmarks that put Layerlab beside the Docker oracle on one
 * registry; stopped by its own PID.
 */
export async function startDockerRegistry(dir: string): Promise<DockerRegistry> {
  const port = await freePort();
  const config = join(dir, 'registry.yml');
  writeFileSync(
    config,
    `version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'registry')}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${port}\n`,
  );
  const child = spawn('docker-registry', ['serve', config], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  for (let i = 0; ; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/v2/`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (i >= 100 || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`docker-registry did not answer on 127.0.0.1:${port}`);
    }
    await sleep(100);
  }
  return {
    port,
    transport: {
      async request(req) {
        const res = await fetch(`http://127.0.0.1:${port}${req.path}`, {
          method: req.method,
          headers: req.headers,
          body: req.body instanceof Uint8Array ? (req.body as BodyInit) : undefined,
        });
        const headers: Record<string, string> = {};
        res.headers.forEach((v, k) => (headers[k] = v));
        const bytes = new Uint8Array(await res.arrayBuffer());
        return {
          status: res.status,
          headers,
          body: async () => bytes,
          async *chunks() {
            yield bytes;
          },
        };
      },
    },
    async stop() {
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(5000)]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
