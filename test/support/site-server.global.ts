import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { startSiteServer, type SiteServer } from './site-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    siteUrl: string;
  }
}

let server: SiteServer | undefined;

/** Starts the real server (as `npm start` does, on the already built site) for the browser tests. */
export async function setup(project: TestProject): Promise<void> {
  if (!existsSync('dist/index.html')) throw new Error('browser tests need the built site: run `npx astro build` (npm test does)');
  server = await startSiteServer({ LAYERLAB_SANDBOX: process.env.LAYERLAB_BROWSER_SANDBOX ?? 'off' });
  project.provide('siteUrl', server.url);
}

export async function teardown(): Promise<void> {
  await server?.stop();
}
