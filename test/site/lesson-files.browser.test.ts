import { describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { lessons } from '../lessons/lesson-files.js';
import { collectErrors, useBrowser } from '../support/browser.js';
import { missingBrowserPrereqs, missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';
import { useSandboxSite } from '../support/site-server.js';

// The lessons whose first step builds from the lesson's files/ (the build context).
const BUILD_LESSONS = [
  ['ko', '05-images'],
  ['en', '07-whiteouts'],
  ['ko', '08-build-cache'],
  ['en', '08-build-cache'],
] as const;

/** Runs a lesson's first step on its page, typed at the prompt; it must complete. */
async function buildFirstStep(browser: Browser, site: string, locale: 'ko' | 'en', id: string): Promise<string> {
  const step = lessons(locale).find((l) => l.id === id)!.steps[0]!;
  const page = await browser.newPage();
  const errors = collectErrors(page);
  try {
    await page.goto(`${site}/${locale}/lessons/${id}/`);
    await expect.poll(() => page.isEnabled('ll-terminal input'), { timeout: 60_000 }).toBe(true);
    for (const command of step.solution) {
      await page.fill('ll-terminal input', command);
      await page.press('ll-terminal input', 'Enter');
    }
    await expect.poll(() => page.locator(`[data-step-item="${step.id}"][data-done]`).count(), { timeout: 60_000 }).toBe(1);
    expect(errors).toEqual([]);
    return (await page.textContent('ll-terminal [data-output]')) ?? '';
  } finally {
    await page.close();
  }
}

describe.skipIf(!requirePrereqs('browser', missingBrowserPrereqs()))("a lesson's files on the simulator", () => {
  const browser = useBrowser();
  const site = inject('siteUrl');

  it.each(BUILD_LESSONS)('%s %s: docker build reads the lesson files', { timeout: 120_000 }, async (locale, id) => {
    const output = await buildFirstStep(browser(), site, locale, id);
    expect(output).toMatch(/naming to docker\.io\/library\/|Successfully tagged/);
  });

  it('a lesson without files carries none, and its build context is empty', async () => {
    const page = await browser().newPage();
    await page.goto(`${site}/en/lessons/01-what-is-docker/`);
    expect(await page.locator('script[data-lesson-files]').count()).toBe(0);
    await expect.poll(() => page.isEnabled('ll-terminal input'), { timeout: 30_000 }).toBe(true);
    await page.fill('ll-terminal input', 'docker build .');
    await page.press('ll-terminal input', 'Enter');
    await expect.poll(() => page.textContent('ll-terminal [data-output]')).toContain('Dockerfile');
    await page.close();
  });
});

// The same on real containers: a server of its own with the sandbox on, the files PUT into the session.
describe.skipIf(!requirePrereqs('browser + linux', [...missingBrowserPrereqs(), ...missingLinuxPrereqs()]))(
  "a lesson's files on the sandbox (root)",
  () => {
    const browser = useBrowser();
    const server = useSandboxSite('layerlab-site-sandbox-');

    it.each(BUILD_LESSONS)('%s %s: docker build reads the lesson files', { timeout: 180_000 }, async (locale, id) => {
      const page = await browser().newPage();
      await page.goto(`${server.url}/${locale}/lessons/${id}/`);
      await expect.poll(() => page.getAttribute('ll-backend-badge', 'data-backend'), { timeout: 60_000 }).toBe('linux');
      await page.close();
      const output = await buildFirstStep(browser(), server.url, locale, id);
      expect(output).toMatch(/naming to docker\.io\/library\/|Successfully tagged/);
    });
  },
);
