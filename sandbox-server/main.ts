import { resolve } from 'node:path';
import { buildApp } from './app.js';
import { probeSandbox } from './prereqs.js';

/** `npm start`'s server: the site and the sandbox API on one loopback port. */
async function main(): Promise<void> {
  const host = process.env.HOST ?? '127.0.0.1';
  const port = Number(process.env.PORT ?? 4321);
  const siteDir = resolve(process.env.LAYERLAB_SITE_DIR ?? 'dist');
  const sandbox = process.env.LAYERLAB_SANDBOX === 'off'
    ? { available: false, missing: ['sandbox turned off (LAYERLAB_SANDBOX=off)'], runtime: null }
    : await probeSandbox();
  const app = await buildApp({ siteDir, sandbox, logger: { level: process.env.LOG_LEVEL ?? 'info' } });

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    await app.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  const address = await app.listen({ host, port });
  const url = address.replace('0.0.0.0', 'localhost').replace('127.0.0.1', 'localhost');
  if (sandbox.available) {
    console.log(`Layerlab is running at ${url}/ (sandbox: real containers with ${sandbox.runtime})`);
  } else {
    console.log(`Layerlab is running at ${url}/ (simulator only; the sandbox needs: ${sandbox.missing.join(', ')})`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
