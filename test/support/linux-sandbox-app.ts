import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { buildApp } from '../../sandbox-server/app.js';
import { removeLeftovers } from '../../sandbox-server/linux/cleanup.js';
import { linuxEngineFactory } from '../../sandbox-server/sessions/linux-engine-factory.js';
import type { SessionLimits } from '../../sandbox-server/sessions/session-limits.js';

export interface LinuxSandboxApp {
  /** Set once the suite's `beforeAll` hooks have run. */
  readonly app: FastifyInstance;
  readonly stateDir: string;
}

/**
 * A suite's own sandbox API on runc, built in-process as `main.ts` builds it: sessions on
 * tmpfs in a fresh state dir, a crash's leftovers swept first. Closed (every session, mount
 * and cgroup removed) and its dir deleted after the suite. Call it inside the suite's
 * `describe`, before hooks that use the app; hooks registered after it run their `afterAll`
 * first (closing sockets before the app).
 */
export function useLinuxSandboxApp(prefix: string, limits: Partial<SessionLimits> = {}): LinuxSandboxApp {
  let opened: { app: FastifyInstance; stateDir: string } | undefined;
  let stateDir: string | undefined;
  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), prefix));
    const { factory, backend } = await linuxEngineFactory(stateDir);
    const app = await buildApp({
      siteDir: '/nonexistent',
      sandbox: { available: true, missing: [], runtime: backend.runtime.path ?? null },
      sessions: { stateDir, engineFactory: factory, tmpfs: true, limits, sweepBackend: async () => void (await removeLeftovers(backend.tracker)) },
    });
    opened = { app, stateDir };
  });
  afterAll(async () => {
    await opened?.app.close();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });
  const get = () => {
    if (!opened) throw new Error('the sandbox app is built in beforeAll');
    return opened;
  };
  return {
    get app() {
      return get().app;
    },
    get stateDir() {
      return get().stateDir;
    },
  };
}
