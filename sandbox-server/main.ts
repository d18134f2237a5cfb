import { resolve } from 'node:path';
import { buildApp } from './app.js';
import { probeRegistry, probeSandbox, type SandboxProbe } from './prereqs.js';
import { RegistryHost, type ImageRegistryStatus } from './linux/registry-host.js';
import { linuxEngineFactory } from './sessions/linux-engine-factory.js';
import type { SeedImage } from '../src/engine/registry/seeded-images.js';
import { limitsFromEnv } from './sessions/session-limits.js';
import { hostResources, sandboxCapacity } from './sessions/capacity.js';
import { installLastResort } from './last-resort.js';
import type { EngineFactory } from './sessions/session.js';
import { lockStateDir } from './sessions/state-dir-lock.js';
import { trustProxyFromEnv } from './trust-proxy.js';
import { embedOriginsFromEnv } from './api/embed-origins.js';
import { openWorkshopStore } from './workshops/open-workshop-store.js';
import { workshopLimitsFromEnv } from './workshops/workshop-limits.js';
import { siteLessons } from './workshops/site-lessons.js';

/** `npm start`'s server: the site and the sandbox API on one loopback port. */
async function main(): Promise<void> {
  const host = process.env.HOST ?? '127.0.0.1';
  const port = Number(process.env.PORT ?? 4321);
  const siteDir = resolve(process.env.LAYERLAB_SITE_DIR ?? 'dist');
  const stateDir = resolve(process.env.LAYERLAB_STATE_DIR ?? '.layerlab/state');
  const trustProxy = trustProxyFromEnv(process.env.LAYERLAB_TRUST_PROXY);
  const embedOrigins = embedOriginsFromEnv(process.env.LAYERLAB_EMBED_ORIGINS);
  let sandbox: SandboxProbe =
    process.env.LAYERLAB_SANDBOX === 'off'
      ? { available: false, missing: [{ code: 'SANDBOX_OFF', reason: 'sandbox turned off (LAYERLAB_SANDBOX=off)' }], runtime: null }
      : await probeSandbox();
  let engineFactory: EngineFactory | undefined;
  let seeds: SeedImage[] = [];
  // The sandbox's registry, opened once the app has swept an earlier run's leftovers (an orphaned registry among them).
  let imageRegistry: RegistryHost | undefined;
  let registryStatus: ImageRegistryStatus = { available: false, missing: [] };
  let sweepBackend: (() => Promise<void>) | undefined;
  if (sandbox.available) {
    // Before the backend's setup, which removes a crashed run's containers: never another live server's.
    await lockStateDir(stateDir);
    try {
      const linux = await linuxEngineFactory(stateDir, () => imageRegistry);
      engineFactory = linux.factory;
      seeds = linux.seeds;
      sandbox = { ...sandbox, runtime: linux.backend.runtime.path ?? sandbox.runtime };
      sweepBackend = async () => {
        const report = await linux.backend.sweepLeftovers();
        for (const failed of report.failed) console.warn(`could not remove ${JSON.stringify(failed.resource)} of an earlier run: ${failed.error}`);
      };
    } catch (error) {
      // No runtime that really runs a container here (e.g. crun on a cgroup v1 host): the simulator it is.
      sandbox = {
        available: false,
        missing: [{ code: 'RUNTIME_FAILED', reason: `a working OCI runtime (${(error as Error).message})` }],
        runtime: null,
      };
    }
  }
  const limits = limitsFromEnv(process.env);
  if (engineFactory && !process.env.LAYERLAB_MAX_SESSIONS) {
    // Not a fixed number: what this host's memory and disk hold, each session at its ceilings.
    const capacity = sandboxCapacity({
      host: await hostResources(stateDir),
      sessionBytes: limits.stateBytes,
      tmpfs: true,
      sessionMemoryBytes: limits.sessionMemoryBytes,
    });
    limits.maxSessions = capacity.sessions;
    console.log(
      `Sandbox capacity: ${capacity.sessions} sessions (by ${capacity.limitedBy}: ${Math.round(capacity.perSessionMemoryBytes / 2 ** 20)} MiB of memory each; LAYERLAB_MAX_SESSIONS sets it)`,
    );
  }
  // Workshops outlive the server (a restart loses none): SQLite under the state dir, or DATABASE_URL's PostgreSQL.
  const workshops = {
    store: await openWorkshopStore(stateDir, process.env),
    limits: workshopLimitsFromEnv(process.env),
    lessons: siteLessons(resolve('content/lessons')),
    // A deleted workshop's class namespace goes from the registry too, once the registry runs.
    classNamespaces: () => imageRegistry,
  };
  const app = await buildApp({
    siteDir,
    workshops,
    sandbox,
    logger: { level: process.env.LOG_LEVEL ?? 'info' },
    trustProxy,
    embedOrigins,
    imageRegistry: () => imageRegistry?.status() ?? registryStatus,
    sessions: {
      stateDir,
      limits,
      engineFactory,
      sweepBackend,
      tmpfs: sandbox.available,
    },
  });

  if (engineFactory) {
    const missing = probeRegistry();
    if (missing) registryStatus = { available: false, missing: [missing] };
    else {
      try {
        imageRegistry = await RegistryHost.open({
          stateDir,
          seeds,
          log: app.log.child({ component: 'registry' }),
          workshopQuota: { bytes: workshops.limits.registryBytes, repositories: workshops.limits.registryRepositories },
          // A class namespace of a workshop not in the store is a leftover its sweeps remove.
          workshops: () => workshops.store.workshopIds(),
        });
      } catch (error) {
        // Push and pull are refused (no transport); every other command works.
        registryStatus = { available: false, missing: [{ code: 'REGISTRY_FAILED', reason: `the registry (${(error as Error).message})` }] };
      }
    }
    for (const m of registryStatus.missing) app.log.warn({ code: m.code }, `docker push and pull are off: ${m.reason}`);
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) {
      app.log.warn({ signal }, 'still removing sessions; wait, or send SIGKILL and clean up on the next start');
      return;
    }
    closing = true;
    app.log.info({ signal, sessions: app.sandboxSessions.size }, 'shutting down');
    try {
      // Closing the app closes every session: containers stopped, mounts and dirs removed.
      await app.close();
      // After the sessions, whose namespaces it removed as they closed.
      await imageRegistry?.stop();
      process.exit(0);
    } catch (error) {
      app.log.error({ err: error }, 'shutdown did not finish cleanly; the next start sweeps what is left');
      await imageRegistry?.stop().catch(() => undefined);
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  // After the app exists, so its logger says which session failed; before it serves anyone.
  installLastResort(app.log);
  const address = await app.listen({ host, port });
  const url = address.replace('0.0.0.0', 'localhost').replace('127.0.0.1', 'localhost');
  if (sandbox.available) {
    console.log(`Layerlab is running at ${url}/ (sandbox: real containers with ${sandbox.runtime})`);
  } else {
    console.log(`Layerlab is running at ${url}/ (simulator only; the sandbox needs: ${sandbox.missing.map((m) => m.reason).join(', ')})`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
