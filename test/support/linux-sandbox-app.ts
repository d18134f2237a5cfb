import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { buildApp } from '../../sandbox-server/app.js';
import { removeLeftovers } from '../../sandbox-server/linux/cleanup.js';
import { linuxEngineFactory } from '../../sandbox-server/sessions/linux-engine-factory.js';
import type { SessionLimits } from '../../sandbox-server/sessions/session-limits.js';
import { RegistryHost } from '../../sandbox-server/linux/registry-host.js';
import { SqliteWorkshopStore } from '../../sandbox-server/workshops/sqlite-workshop-store.js';
import { DEFAULT_WORKSHOP_LIMITS, type WorkshopLimits } from '../../sandbox-server/workshops/workshop-limits.js';

export interface LinuxSandboxApp {
  /** Set once the suite's `beforeAll` hooks have run. */
  readonly app: FastifyInstance;
  readonly stateDir: string;
  /** The sandbox's registry, with `{ registry: true }`. */
  readonly imageRegistry: RegistryHost | undefined;
}

/**
 * A suite's own sandbox API on runc, built in-process as `main.ts` builds it: sessions on
 * tmpfs in a fresh state dir, a crash's leftovers swept first. Closed (every session, mount
 * and cgroup removed) and its dir deleted after the suite. Call it inside the suite's
 * `describe`, before hooks that use the app; hooks registered after it run their `afterAll`
 * first (closing sockets before the app). With `workshops`, the workshop API too (SQLite in the
 * state dir, those limits).
 */
export function useLinuxSandboxApp(
  prefix: string,
  limits: Partial<SessionLimits> = {},
  options: { registry?: boolean; workshops?: Partial<WorkshopLimits> } = {},
): LinuxSandboxApp {
  let opened: { app: FastifyInstance; stateDir: string; imageRegistry: RegistryHost | undefined } | undefined;
  let stateDir: string | undefined;
  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), prefix));
    let imageRegistry: RegistryHost | undefined;
    const { factory, backend, seeds } = await linuxEngineFactory(stateDir, () => imageRegistry);
    const store = options.workshops ? SqliteWorkshopStore.open(join(stateDir, 'workshops.sqlite')) : undefined;
    const app = await buildApp({
      siteDir: '/nonexistent',
      sandbox: { available: true, missing: [], runtime: backend.runtime.path ?? null },
      imageRegistry: () => imageRegistry?.status() ?? { available: false, missing: [] },
      sessions: { stateDir, engineFactory: factory, tmpfs: true, limits, sweepBackend: async () => void (await removeLeftovers(backend.tracker)) },
      // As main.ts: workshops in SQLite under the state dir, a deleted one's class namespace gone from the registry.
      ...(store && options.workshops
        ? {
            workshops: {
              store,
              limits: options.workshops,
              classNamespaces: () => imageRegistry,
            },
          }
        : {}),
    });
    // As main.ts: after the app swept an earlier run's leftovers.
    if (options.registry) {
      const quota = { ...DEFAULT_WORKSHOP_LIMITS, ...options.workshops };
      imageRegistry = await RegistryHost.open({
        stateDir,
        seeds,
        workshopQuota: { bytes: quota.registryBytes, repositories: quota.registryRepositories },
        ...(store ? { workshops: () => store.workshopIds() } : {}),
      });
    }
    opened = { app, stateDir, imageRegistry };
  });
  afterAll(async () => {
    await opened?.app.close();
    await opened?.imageRegistry?.stop();
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
    get imageRegistry() {
      return get().imageRegistry;
    },
  };
}
