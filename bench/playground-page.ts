import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PlaygroundPages {
  /** The page whose playground comes from `sites[site]`. */
  url(site?: number): string;
  close(): void;
}

/**
 * Pages of another origin than Layerlab's (a loopback port of their own), each holding one `<layerlab-playground>`
 * and nothing else: `url(n)` is the page whose embed comes from `sites[n]` (a built site's origin). What the start's
 * tools load (embed-ab.ts, embed-trace.ts, embed-module-marks.ts), the same page for all.
 */
export async function playgroundPages(sites: readonly string[]): Promise<PlaygroundPages> {
  const host = createServer((req, res) => {
    const site = sites[Number(new URL(req.url ?? '/', 'http://x').searchParams.get('s') ?? 0)];
    if (site === undefined) return void res.writeHead(404).end();
    res
      .writeHead(200, { 'content-type': 'text/html' })
      .end(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><script type="module" src="${site}/embed/v1/layerlab.js"></script></head><body><layerlab-playground id="w1" lang="en"></layerlab-playground></body></html>`,
      );
  });
  await new Promise<void>((done) => host.listen(0, '127.0.0.1', done));
  const origin = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
  return { url: (site = 0) => `${origin}/?s=${site}`, close: () => void host.close() };
}
