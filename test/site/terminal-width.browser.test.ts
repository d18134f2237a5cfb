import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowser } from '../support/browser.js';
import { missingBrowserPrereqs, requirePrereqs } from '../support/prereqs.js';

// Docker's widest `docker ps` row for one running container: "Less than a second ago" and
// "Up Less than a second" (issue 18: "the default width fits `docker ps`").
const DOCKER_PS_COLUMNS = 104;

async function typeCommand(page: Page, command: string): Promise<void> {
  await page.fill('ll-terminal input', command);
  await page.press('ll-terminal input', 'Enter');
}

describe.skipIf(!requirePrereqs('browser', missingBrowserPrereqs()))('the lesson terminal is as wide as `docker ps`', () => {
  const browser = useBrowser();
  const site = inject('siteUrl');

  it.each(['en', 'ko'] as const)(
    'at 1400×900 a `docker ps` row is neither wrapped nor scrolled sideways, and 104 columns fit (%s, lesson 06)',
    { timeout: 60_000 },
    async (locale) => {
      const page = await browser().newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(`${site}/${locale}/lessons/06-containers/`);
      await expect.poll(() => page.isEnabled('ll-terminal input'), { timeout: 30_000 }).toBe(true);
      await typeCommand(page, 'docker run -d --name web busybox sleep 3600');
      await expect.poll(() => page.locator('[data-step-item="run-web"][data-done]').count(), { timeout: 30_000 }).toBe(1);
      await typeCommand(page, 'docker ps');
      await expect.poll(() => page.locator('ll-terminal pre.out', { hasText: 'CONTAINER ID' }).count(), { timeout: 15_000 }).toBe(1);
      const geometry = await page.evaluate(() => {
        const output = document.querySelector<HTMLElement>('ll-terminal [data-output]')!;
        const table = [...output.querySelectorAll<HTMLElement>('pre.out')].find((p) => p.textContent!.startsWith('CONTAINER ID'))!;
        const style = getComputedStyle(output);
        // From the table's left edge to the right edge of the output's content box.
        const contentRight = output.getBoundingClientRect().left + output.clientLeft + output.clientWidth - parseFloat(style.paddingRight);
        const room = contentRight - table.getBoundingClientRect().left;
        const rows = table.textContent!.trimEnd().split('\n');
        // Each row as the page lays it out: a wrapped row is two line boxes; its width is what it needs.
        const walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
        const text = walker.nextNode()!;
        let start = 0;
        const boxes = rows.map((row) => {
          const range = document.createRange();
          range.setStart(text, start);
          range.setEnd(text, start + row.length);
          start += row.length + 1;
          return { lines: range.getClientRects().length, width: range.getBoundingClientRect().width };
        });
        const columnWidth = boxes[0]!.width / rows[0]!.length;
        return {
          singleTextNode: walker.nextNode() === null,
          rowLines: boxes.map((b) => b.lines),
          widest: Math.max(...boxes.map((b) => b.width)),
          room,
          columnsThatFit: Math.floor(room / columnWidth),
          scrollsSideways: output.scrollWidth > output.clientWidth,
          bottom: document.querySelector('ll-terminal')!.getBoundingClientRect().bottom,
        };
      });
      expect(geometry.singleTextNode).toBe(true);
      expect(geometry.rowLines).toEqual([1, 1]);
      expect(geometry.widest).toBeLessThanOrEqual(geometry.room);
      expect(geometry.scrollsSideways).toBe(false);
      expect(geometry.columnsThatFit).toBeGreaterThanOrEqual(DOCKER_PS_COLUMNS);
      // The whole terminal, its input line included, is in the window as the page first shows it.
      expect(geometry.bottom).toBeLessThanOrEqual(900);
      await page.close();
    },
  );
});
