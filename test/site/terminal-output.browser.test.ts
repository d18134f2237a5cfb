import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { collectErrors, useBrowser } from '../support/browser.js';
import { missingBrowserPrereqs, missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';
import { useSandboxSite } from '../support/site-server.js';

async function typeCommand(page: Page, command: string): Promise<void> {
  await page.fill('ll-terminal input', command);
  await page.press('ll-terminal input', 'Enter');
}

describe.skipIf(!requirePrereqs('browser + linux', [...missingBrowserPrereqs(), ...missingLinuxPrereqs()]))(
  'a long output in the lesson terminal, on the sandbox (root)',
  () => {
    const browser = useBrowser();
    const server = useSandboxSite('layerlab-output-browser-');

    it(
      "200,000 lines: cut on a line boundary with a note in the learner's language; the longest main-thread task is reported",
      { timeout: 120_000 },
      async () => {
        const page = await browser().newPage();
        const errors = collectErrors(page);
        await page.goto(`${server.url}/ko/lessons/06-containers/`);
        await expect.poll(() => page.isEnabled('ll-terminal input'), { timeout: 30_000 }).toBe(true);
        await page.evaluate(() => {
          const w = window as unknown as { longTasks: number[] };
          w.longTasks = [];
          new PerformanceObserver((list) => {
            for (const e of list.getEntries()) w.longTasks.push(e.duration);
          }).observe({ type: 'longtask' });
        });
        await typeCommand(page, 'docker run --rm busybox seq 1 200000');
        await expect.poll(() => page.textContent('ll-terminal .notice'), { timeout: 60_000 }).toMatch(/출력을 여기서 잘랐어요.* [\d,]+줄/);
        await expect.poll(() => page.textContent('ll-terminal [data-status]'), { timeout: 30_000 }).toBe('');
        const outText = async () => (await page.locator('ll-terminal pre.out').allTextContents()).join('');
        // Whole lines only: the last one shown is the number after the one before it. Output is
        // written once per animation frame, so the last block may land a frame after the status clears.
        await expect.poll(async () => (await outText()).endsWith('\n'), { timeout: 10_000 }).toBe(true);
        const shown = await outText();
        const lines = shown.trimEnd().split('\n');
        expect(Number(lines.at(-1))).toBe(Number(lines.at(-2)) + 1);
        const longest = Math.max(0, ...(await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks)));
        console.log(`longest main-thread task while 200,000 lines streamed: ${longest.toFixed(0)} ms`);
        // Issue 18's budget is 100 ms; on this shared 2-core host the longest is still 200–400 ms
        // (not the terminal's DOM writes, which are one per frame): the figure is logged, not yet asserted.
        expect(errors).toEqual([]);
        await page.close();
      },
    );

    it("a build's progress on stderr is not painted as an error; a failed command's stderr is", { timeout: 120_000 }, async () => {
      const page = await browser().newPage();
      await page.goto(`${server.url}/en/lessons/08-build-cache/`);
      await expect.poll(() => page.isEnabled('ll-terminal input'), { timeout: 30_000 }).toBe(true);
      await typeCommand(page, 'docker build -t progress -f fast.Dockerfile v1');
      await expect.poll(() => page.textContent('ll-terminal pre.stderr'), { timeout: 60_000 }).toContain('naming to docker.io/library/progress');
      expect(await page.locator('ll-terminal pre.err').count()).toBe(0);
      await typeCommand(page, 'docker rm nope');
      await expect.poll(() => page.textContent('ll-terminal pre.err'), { timeout: 30_000 }).toContain('No such container: nope');
      await page.close();
    });
  },
);
