import { gzipSync } from 'node:zlib';
import type { Page, Response } from 'playwright-core';

/**
 * Counts what a page fetches, gzipped as a server would send it, from now on: the embed's
 * "JS until interactive". `which` picks the responses (scripts by default). `total()` waits
 * for the bodies still being read.
 */
export function countFetched(page: Page, which: (res: Response) => boolean = (res) => res.request().resourceType() === 'script') {
  let bytes = 0;
  const pending: Promise<void>[] = [];
  page.on('response', (res) => {
    if (!which(res)) return;
    pending.push(
      res
        .body()
        .catch(() => Buffer.alloc(0))
        .then((body) => void (bytes += gzipSync(body).length)),
    );
  });
  return {
    total: async () => {
      await Promise.all(pending);
      return bytes;
    },
  };
}
