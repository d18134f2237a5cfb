import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { collectErrors, useBrowser } from '../support/browser.js';
import { missingBrowserPrereqs, missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';
import { useSandboxSite } from '../support/site-server.js';
import { annotations, typeDockerfile } from './editor-page.js';

const DOCKERFILE = ['FROM busybox', 'COPY hello.txt /hello.txt', 'RUN echo one > /one.txt', 'ENV STAGE=dev'];

/** Opens the playground, types the Dockerfile and hello.txt, builds with the button; the annotations once all four lines have one. */
async function buildOnPlayground(page: Page, site: string): Promise<Awaited<ReturnType<typeof annotations>>> {
  await page.goto(`${site}/en/playground/`);
  await page.waitForSelector('ll-editor[data-ready]', { timeout: 60_000 });
  await expect.poll(() => page.isEnabled('ll-editor [data-build]'), { timeout: 60_000 }).toBe(true);
  await page.click('ll-editor [data-file-list] button[data-path="hello.txt"]');
  await typeDockerfile(page, ['hello, sandbox!'], 'hello.txt');
  await page.click('ll-editor [data-file-list] button[data-path="Dockerfile"]');
  await typeDockerfile(page, DOCKERFILE);
  await page.click('ll-editor [data-build]');
  await expect.poll(() => page.textContent('ll-terminal [data-output]'), { timeout: 60_000 }).toContain('naming to docker.io/library/my-image');
  await expect.poll(async () => (await annotations(page)).map((a) => a.kind), { timeout: 20_000 }).toEqual(['from', 'layer', 'layer', 'empty']);
  return annotations(page);
}

// The editor on real containers: a server of its own with the sandbox on (as
// test/site/lesson-files.browser.test.ts does), the build's events over the session WebSocket.
describe.skipIf(!requirePrereqs('browser + linux', [...missingBrowserPrereqs(), ...missingLinuxPrereqs()]))(
  'Dockerfile editor on the sandbox (root)',
  () => {
    const browser = useBrowser();
    const simSite = inject('siteUrl');
    const server = useSandboxSite('layerlab-editor-sandbox-');

    it(
      'annotates each line as the build streams, keeps the first two on a rebuild, marks a failed RUN; the same layers as the simulator',
      { timeout: 180_000 },
      async () => {
        const page = await browser().newPage();
        const errors = collectErrors(page);
        const sockets: string[] = [];
        page.on('websocket', (ws) => sockets.push(new URL(ws.url()).pathname));
        const first = await buildOnPlayground(page, server.url);
        expect(await page.getAttribute('ll-backend-badge', 'data-backend')).toBe('linux');
        expect(sockets).toEqual([expect.stringMatching(/^\/api\/sessions\/[^/]+\/ws$/)]);
        expect(first.map((a) => [a.line, a.kind, a.cached])).toEqual([
          [1, 'from', 'false'],
          [2, 'layer', 'false'],
          [3, 'layer', 'false'],
          [4, 'empty', 'false'],
        ]);
        // hello.txt (15 bytes) and one.txt (4 bytes), sized as `docker history` prints them.
        expect(first[1]!.text).toMatch(/layer [0-9a-f]{12} · 15B · rebuilt$/);
        expect(first[2]!.text).toMatch(/layer [0-9a-f]{12} · 4B · rebuilt$/);
        expect(first[3]!.text).toContain('no layer · rebuilt');
        await expect.poll(() => page.locator('ll-editor .ll-annotation').count()).toBe(4);

        // The layer graph grew with the build: busybox's layer and the two new ones.
        await expect
          .poll(() => page.locator('ll-picture g.layer-graph__layer:not(.is-exiting)').count(), { timeout: 10_000 })
          .toBeGreaterThanOrEqual(3);

        // Edit the third instruction; Ctrl/Cmd-Enter builds.
        await typeDockerfile(
          page,
          DOCKERFILE.map((l, i) => (i === 2 ? 'RUN echo uno > /one.txt' : l)),
        );
        await page.keyboard.press('ControlOrMeta+Enter');
        await expect
          .poll(async () => (await annotations(page)).map((a) => [a.line, a.kind, a.cached]), { timeout: 60_000 })
          .toEqual([
            [1, 'from', 'false'],
            [2, 'layer', 'true'],
            [3, 'layer', 'false'],
            [4, 'empty', 'false'],
          ]);
        const second = await annotations(page);
        expect(second[1]!.text).toBe(first[1]!.text.replace('rebuilt', 'cached'));
        expect(second[2]!.text.match(/[0-9a-f]{12}/)![0]).not.toBe(first[2]!.text.match(/[0-9a-f]{12}/)![0]);

        // A failing RUN is marked with its exit code.
        await typeDockerfile(page, ['FROM busybox', 'RUN exit 3']);
        await page.click('ll-editor [data-build]');
        await expect
          .poll(async () => (await annotations(page)).find((a) => a.line === 2)?.text ?? '', { timeout: 60_000 })
          .toContain('failed: exit code 3');
        // The line is marked from the step's event; the status follows when the command ends.
        await expect.poll(async () => (await page.textContent('ll-editor [data-status]')) ?? '', { timeout: 10_000 }).toContain('line 2');
        expect(await page.locator('ll-editor .ll-line-failed').count()).toBe(1);
        expect(errors).toEqual([]);
        await page.close();

        // One engine, two backends: the simulator's page shows the very same layers.
        const sim = await browser().newPage();
        expect(await buildOnPlayground(sim, simSite)).toEqual(first);
        await sim.close();
      },
    );
  },
);
