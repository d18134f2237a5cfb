import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { freePort } from './free-port.js';

export interface SiteServer {
  url: string;
  stop(): Promise<void>;
  /** SIGKILL, as a crash: the server cleans nothing up; its next start must. */
  crash(): Promise<void>;
}

/**
 * The real server (as `npm start` runs it, on the already built site) on a free loopback
 * port, or on `env.PORT` (a restart on the port its pages know); `env` picks the backend
 * (`LAYERLAB_SANDBOX=off`: the simulator) and where its state lives.
 */
export async function startSiteServer(env: Record<string, string>): Promise<SiteServer> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const server: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'sandbox-server/main.ts'], {
    // Every page a suite opens is a session of 127.0.0.1: the per-address cap is for learners, not suites.
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', LAYERLAB_SESSIONS_PER_ADDRESS: '1000', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    // The Linux backend's first start builds the base image and probes the runtime.
    const timer = setTimeout(() => reject(new Error('site server did not start in 90 s')), 90_000);
    server.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Layerlab is running')) {
        clearTimeout(timer);
        resolve();
      }
    });
    server.on('exit', (code) => reject(new Error(`site server exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      // A crashed server has a signal and no exit code: waiting for its exit would wait forever.
      if (server.exitCode !== null || server.signalCode !== null) return;
      const exited = new Promise((resolve) => server.on('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    },
    async crash() {
      if (server.exitCode !== null || server.signalCode !== null) return;
      const exited = new Promise((resolve) => server.on('exit', resolve));
      server.kill('SIGKILL');
      await exited;
    },
  };
}

/**
 * A suite's own server with the sandbox on (real containers on runc), its state in a
 * fresh dir: started before the suite's tests, stopped and removed after them. `env` is
 * read when it starts (an address known only once an earlier `beforeAll` has run).
 */
export function useSandboxSite(prefix: string, env: () => Record<string, string> = () => ({})): { readonly url: string } {
  let server: SiteServer | undefined;
  let stateDir: string | undefined;
  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), prefix));
    server = await startSiteServer({ LAYERLAB_STATE_DIR: stateDir, ...env() });
  });
  afterAll(async () => {
    await server?.stop();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });
  return {
    get url() {
      if (!server) throw new Error('the sandbox site is started in beforeAll');
      return server.url;
    },
  };
}
