import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    siteUrl: string;
  }
}

let server: ChildProcess | undefined;

/** Starts the real server (as `npm start` does, on the already built site) for the browser tests. */
export async function setup(project: TestProject): Promise<void> {
  if (!existsSync('dist/index.html')) throw new Error('browser tests need the built site: run `npx astro build` (npm test does)');
  const port = 20000 + Math.floor(Math.random() * 20000);
  server = spawn(process.execPath, ['--import', 'tsx', 'sandbox-server/main.ts'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', LAYERLAB_SANDBOX: process.env.LAYERLAB_BROWSER_SANDBOX ?? 'off' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('site server did not start in 60 s')), 60_000);
    server!.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Layerlab is running')) {
        clearTimeout(timer);
        resolve();
      }
    });
    server!.on('exit', (code) => reject(new Error(`site server exited with ${code}`)));
  });
  project.provide('siteUrl', url);
}

export async function teardown(): Promise<void> {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server!.on('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
}
