import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, collectErrors } from '../support/browser.js';
import { missingBrowserPrereqs, requirePrereqs } from '../support/prereqs.js';

const run = requirePrereqs('browser', missingBrowserPrereqs());
const NODE = 'll-picture g.layer-graph__container';

/** The node's box on screen, once its position has settled. */
async function box(page: Page) {
  const b = await page.locator(NODE).first().boundingBox();
  if (!b) throw new Error('no container node drawn');
  return { cx: b.x + b.width / 2, cy: b.y + b.height / 2, width: b.width };
}

const selected = async (page: Page) => ((await page.locator(NODE).first().getAttribute('class')) ?? '').includes('is-selected');
const viewport = (page: Page) => page.locator('ll-picture g.layer-graph__viewport').getAttribute('transform');

describe.skipIf(!run)("the picture's own pan and zoom", () => {
  let browser: Browser;
  const site = inject('siteUrl');
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('zooms about the pointer on the wheel, pans by a drag, and a click still selects a node', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, reducedMotion: 'reduce' });
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(`${site}/en/lessons/06-containers/`);
    await expect.poll(() => page.isEnabled('ll-terminal input'), { timeout: 20_000 }).toBe(true);
    await page.evaluate(() =>
      (document.querySelector('ll-terminal') as HTMLElement & { runCommands(l: string[]): Promise<void> }).runCommands([
        'docker create --name idle busybox',
      ]),
    );
    await expect.poll(() => page.locator(NODE).count(), { timeout: 10_000 }).toBe(1);
    expect(await page.locator('ll-picture svg.layer-graph').evaluate((svg) => getComputedStyle(svg).touchAction)).toBe('none');

    // Wheel over the node: it grows, and the point under the cursor (its centre) stays.
    const before = await box(page);
    const fitted = await viewport(page);
    await page.mouse.move(before.cx, before.cy);
    await page.mouse.wheel(0, -200);
    await expect.poll(() => viewport(page)).not.toBe(fitted);
    const zoomed = await box(page);
    expect(zoomed.width).toBeGreaterThan(before.width * 1.2);
    expect(Math.abs(zoomed.cx - before.cx)).toBeLessThanOrEqual(1);
    expect(Math.abs(zoomed.cy - before.cy)).toBeLessThanOrEqual(1);

    // A drag moves the graph by the drag's delta, and does not select what it started on.
    await page.mouse.down();
    await page.mouse.move(zoomed.cx + 60, zoomed.cy + 40, { steps: 6 });
    await page.mouse.up();
    const dragged = await box(page);
    expect(Math.abs(dragged.cx - zoomed.cx - 60)).toBeLessThanOrEqual(1);
    expect(Math.abs(dragged.cy - zoomed.cy - 40)).toBeLessThanOrEqual(1);
    expect(dragged.width).toBeCloseTo(zoomed.width, 3);
    expect(await selected(page)).toBe(false);

    // A click that does not move still reaches the node.
    await page.mouse.click(dragged.cx, dragged.cy);
    await expect.poll(() => selected(page)).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });
});
