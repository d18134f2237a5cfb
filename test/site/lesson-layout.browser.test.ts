import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { lessons } from '../lessons/lesson-files.js';
import { useBrowser } from '../support/browser.js';
import { missingBrowserPrereqs, requirePrereqs } from '../support/prereqs.js';

const run = requirePrereqs('browser', missingBrowserPrereqs());

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Where an element is, in the viewport as the page first shows it (nothing scrolled). */
const boxOf = (page: Page, selector: string): Promise<Box> =>
  page.$eval(selector, (el) => {
    const { x, y, width, height } = el.getBoundingClientRect();
    return { x, y, width, height };
  });

async function openLesson(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect.poll(() => page.isEnabled('ll-terminal input'), { timeout: 30_000 }).toBe(true);
}

describe.skipIf(!run)('lesson page layout', () => {
  const browser = useBrowser();
  const site = inject('siteUrl');

  it.each(['en', 'ko'] as const)('on a phone the run and copy buttons never cover a long code line (%s, lesson 11)', async (locale) => {
    const context = await browser().newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
    const page = await context.newPage();
    await openLesson(page, `${site}/${locale}/lessons/11-under-the-hood/`);
    const blocks = await page.$$eval('.runnable', (runnables) =>
      runnables.map((runnable) => {
        const pre = runnable.querySelector('pre')!;
        const box = (el: Element) => {
          const { x, y, width, height } = el.getBoundingClientRect();
          return { x, y, width, height };
        };
        return {
          code: pre.textContent ?? '',
          scrolls: pre.scrollWidth > pre.clientWidth,
          pre: box(pre),
          buttons: [...runnable.querySelectorAll('button')].map(box),
        };
      }),
    );
    // The lesson has lines longer than a phone is wide: the code scrolls sideways under its box.
    expect(blocks.filter((b) => b.scrolls).length).toBeGreaterThan(0);
    for (const block of blocks) {
      expect(block.buttons).toHaveLength(2);
      for (const button of block.buttons) expect(overlaps(button, block.pre), block.code).toBe(false);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await context.close();
  });

  it(
    'at 1400×900 every lesson shows the whole picture graph beside the steps, and the whole terminal under them, without scrolling',
    { timeout: 120_000 },
    async () => {
      const page = await browser().newPage({ viewport: { width: 1400, height: 900 } });
      for (const lesson of lessons('en')) {
        await openLesson(page, `${site}/en/lessons/${lesson.id}/`);
        const graph = await boxOf(page, 'll-picture svg[data-graph]');
        expect(graph.y, lesson.id).toBeGreaterThanOrEqual(0);
        expect(graph.y + graph.height, lesson.id).toBeLessThanOrEqual(900);
        const terminal = await boxOf(page, 'll-terminal');
        const text = await boxOf(page, 'article.lesson-text');
        const steps = await boxOf(page, '.playground__work');
        // The text; beside it the steps and the picture; under those two the terminal (beside
        // the editor in a lesson that has one), whole, its input line included.
        expect(steps.x, lesson.id).toBeGreaterThanOrEqual(text.x + text.width);
        expect(graph.x, lesson.id).toBeGreaterThanOrEqual(steps.x + steps.width);
        expect(terminal.x, lesson.id).toBeGreaterThanOrEqual(text.x + text.width);
        expect(terminal.y, lesson.id).toBeGreaterThanOrEqual(graph.y + graph.height);
        expect(terminal.y + terminal.height, lesson.id).toBeLessThanOrEqual(900);
        if (lesson.editor) expect(terminal.x + terminal.width, lesson.id).toBeLessThanOrEqual(graph.x);
        else expect(terminal.width, lesson.id).toBeGreaterThan(steps.width + graph.width);
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), lesson.id).toBe(true);
      }
      await page.close();
    },
  );

  it('at 1024×768 the text and the playground share the width, the picture under the terminal', async () => {
    const page = await browser().newPage({ viewport: { width: 1024, height: 768 } });
    await openLesson(page, `${site}/ko/lessons/06-containers/`);
    const text = await boxOf(page, 'article.lesson-text');
    const terminal = await boxOf(page, 'll-terminal');
    const graph = await boxOf(page, 'll-picture svg[data-graph]');
    expect(terminal.x).toBeGreaterThanOrEqual(text.x + text.width);
    expect(Math.abs(graph.x - terminal.x)).toBeLessThan(2);
    expect(graph.y).toBeGreaterThanOrEqual(terminal.y + terminal.height);
    // Both columns hold their own: neither is squeezed under 40% of the page.
    expect(text.width).toBeGreaterThan(1024 * 0.4);
    expect(terminal.width).toBeGreaterThan(1024 * 0.4);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.close();
  });
});
