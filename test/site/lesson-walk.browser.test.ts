import { describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { lessons } from '../lessons/lesson-files.js';
import { axeViolations } from '../support/axe.js';
import { collectErrors, useBrowser } from '../support/browser.js';
import { missingBrowserPrereqs, requirePrereqs } from '../support/prereqs.js';

const run = requirePrereqs('browser', missingBrowserPrereqs());

type Lesson = ReturnType<typeof lessons>[number];
const lesson = (locale: 'ko' | 'en', id: string): Lesson => lessons(locale).find((l) => l.id === id)!;

/** Types each command of a step's solution at the prompt, as a learner on a laptop. */
async function typeSolution(page: Page, solution: string[]): Promise<void> {
  for (const command of solution) {
    await page.fill('ll-terminal input', command);
    await page.press('ll-terminal input', 'Enter');
  }
}

/** Opens the step's solution and taps its run button, as a learner on a phone. */
async function tapSolution(page: Page, stepId: string): Promise<void> {
  const panel = page.locator(`[data-step-panel="${stepId}"]`);
  await panel.locator('details[data-solution] > summary').tap();
  await panel.locator('.solution button[data-run]').tap();
}

/**
 * Walks a lesson page from its first step to the end: each step must be the current
 * one, its solution (typed, or tapped on a phone) must complete it, and the last one
 * offers the next lesson. No console errors, no serious axe-core violations on the way.
 */
async function walk(browser: Browser, site: string, locale: 'ko' | 'en', id: string, how: 'type' | 'tap', next: string | undefined): Promise<void> {
  const data = lesson(locale, id);
  const context =
    how === 'tap' ? await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true }) : await browser.newContext();
  const page = await context.newPage();
  const errors = collectErrors(page);
  try {
    await page.goto(`${site}/${locale}/lessons/${id}/`);
    await expect.poll(() => page.isEnabled('ll-terminal input'), { timeout: 30_000 }).toBe(true);
    expect(await axeViolations(page, 'serious')).toEqual([]);
    for (const [i, step] of data.steps.entries()) {
      await expect.poll(() => page.getAttribute(`[data-step-item="${step.id}"]`, 'aria-current')).toBe('step');
      expect(await page.locator('[data-step-item][data-done]').count()).toBe(i);
      if (how === 'type') await typeSolution(page, step.solution);
      else await tapSolution(page, step.id);
      await expect.poll(() => page.locator(`[data-step-item="${step.id}"][data-done]`).count(), { timeout: 30_000 }).toBe(1);
    }
    await expect.poll(() => page.isVisible('ll-lesson [data-complete]')).toBe(true);
    // The last lesson offers the index.
    expect(await page.getAttribute('ll-lesson [data-complete] a', 'href')).toBe(next ? `/${locale}/lessons/${next}/` : `/${locale}/lessons/`);
    expect(await axeViolations(page, 'serious')).toEqual([]);
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
}

describe.skipIf(!run)('lessons walked end to end on the simulator', () => {
  const browser = useBrowser();
  const site = inject('siteUrl');

  it.each(['ko', 'en'] as const)('lesson 1 (%s), every solution typed at the prompt', { timeout: 120_000 }, async (locale) => {
    await walk(browser(), site, locale, '01-what-is-docker', 'type', '02-why-containers');
  });

  // The next lesson is the next by front matter `order`, not by id: 06-containers leads to 09-lifecycle.
  it.each(['ko', 'en'] as const)('lesson 6 (%s), every solution tapped on a phone', { timeout: 120_000 }, async (locale) => {
    await walk(browser(), site, locale, '06-containers', 'tap', '09-lifecycle');
  });

  // The page's registry: a push sends busybox's layer, fetched from the site's asset, and the
  // seeded images are made from it; every step of lesson 12 must complete in the browser.
  it('lesson 12 (en), every solution typed: push, pull and the seeded images on the page', { timeout: 120_000 }, async () => {
    const ordered = [...lessons('en')].sort((a, b) => a.order - b.order);
    const next = ordered[ordered.findIndex((l) => l.id === '12-registry') + 1]?.id;
    await walk(browser(), site, 'en', '12-registry', 'type', next);
  });

  it.each(['ko', 'en'] as const)(
    'lesson 13-volumes (%s), every solution typed: it comes after the lifecycle and leads to 07-whiteouts',
    { timeout: 180_000 },
    async (locale) => {
      await walk(browser(), site, locale, '13-volumes', 'type', '07-whiteouts');
    },
  );
});
