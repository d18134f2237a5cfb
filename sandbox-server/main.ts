import { resolve } from 'node:path';
import { buildApp } from './app.js';
import { probeSandbox } from './prereqs.js';
import { limitsFromEnv } from './sessions/session-limits.js';

/** `npm start`'s server: the site and the sandbox API on one loopback port. */
async function main(): Promise<void> {
  const host = process.env.HOST ?? '127.0.0.1';
  const port = Number(process.env.PORT ?? 4321);
  const siteDir = resolve(process.env.LAYERLAB_SITE_DIR ?? 'dist');
  const stateDir = resolve(process.env.LAYERLAB_STATE_DIR ?? '.layerlab/state');
  const sandbox = process.env.LAYERLAB_SANDBOX === 'off'
    ? { available: false, missing: ['sandbox turned off (LAYERLAB_SANDBOX=off)'], runtime: null }
    : await probeSandbox();
  const app = await buildApp({
    siteDir,
    sandbox,
    logger: { level: process.env.LOG_LEVEL ?? 'info' },
    sessions: {
      stateDir,
      limits: limitsFromEnv(process.env),
      // The Linux engine factory plugs in here once the engine and its Linux drivers land;
      // until then the API answers 503 and the site runs its simulator.
      engineFactory: undefined,
      tmpfs: sandbox.available,
    },
  });

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
      process.exit(0);
    } catch (error) {
      app.log.error({ err: error }, 'shutdown did not finish cleanly; the next start sweeps what is left');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  const address = await app.listen({ host, port });
  const url = address.replace('0.0.0.0', 'localhost').replace('127.0.0.1', 'localhost');
  if (sandbox.available && app.sandboxSessions.available) {
    console.log(`Layerlab is running at ${url}/ (sandbox: real containers with ${sandbox.runtime})`);
  } else if (sandbox.available) {
    console.log(`Layerlab is running at ${url}/ (simulator only; this build has no Linux engine yet)`);
  } else {
    console.log(`Layerlab is running at ${url}/ (simulator only; the sandbox needs: ${sandbox.missing.join(', ')})`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
