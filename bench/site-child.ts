import { spawn } from 'node:child_process';

export interface SiteChild {
  /** `http://127.0.0.1:PORT` */
  url: string;
  stop(): void;
}

/**
 * The built site in `siteDir` served as `npm start` serves it, without the sandbox, by a child process on a
 * random loopback port: what the browser benchmarks load pages and the embed from.
 */
export async function startSiteChild(siteDir: string): Promise<SiteChild> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const server = spawn(process.execPath, ['--import', 'tsx', 'sandbox-server/main.ts'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', LAYERLAB_SANDBOX: 'off', LAYERLAB_SITE_DIR: siteDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((done, fail) => {
    server.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('Layerlab is running') && done());
    server.on('exit', (code) => fail(new Error(`site server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => void server.kill('SIGTERM') };
}
