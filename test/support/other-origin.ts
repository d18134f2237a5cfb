import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';

export interface OtherOriginFile {
  body: string;
  type: string;
  headers?: Record<string, string>;
}

/**
 * A plain web server on another loopback port than Layerlab's — another origin — serving
 * the given files by path: the host page a docs author would write around an embed.
 * Started before the enclosing suite, stopped after it.
 */
export function useOtherOrigin(files: (siteUrl: string) => Record<string, OtherOriginFile>, siteUrl: () => string): { readonly url: string } {
  let server: Server | undefined;
  let url: string | undefined;
  beforeAll(async () => {
    server = createServer((req, res) => {
      // Made per request: the Layerlab server a page names may start after this one.
      const file = files(siteUrl())[new URL(req.url ?? '/', 'http://x').pathname];
      if (!file) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store', ...file.headers }).end(file.body);
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    // Another port is another origin (scheme, host and port).
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });
  return {
    get url() {
      if (!url) throw new Error('the other origin is started in beforeAll');
      return url;
    },
  };
}
