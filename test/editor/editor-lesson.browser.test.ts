import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowser, collectErrors } from '../support/browser.js';
import { missingBrowserPrereqs, requirePrereqs } from '../support/prereqs.js';
import { annotations, typeDockerfile } from './editor-page.js';

const run = requirePrereqs('browser', missingBrowserPrereqs());

async function typeInTerminal(page: Page, command: string, done: string): Promise<void> {
  await page.fill('ll-terminal input', command);
  await page.press('ll-terminal input', 'Enter');
  await expect.poll(() => page.textContent('ll-terminal [data-output]'), { timeout: 30_000 }).toContain(done);
}

/**
 * Lesson 05's editor tells what happened: the status names the tag that was built, the
 * annotations belong to the files they were built from, and a build typed in the terminal
 * builds the files the editor shows.
 */
describe.skipIf(!run)('the editor of lesson 05 (Images)', () => {
  const browser = useBrowser();
  const site = inject('siteUrl');

  it('names the tag a terminal build made, drops annotations once their file changes, and builds what it shows', { timeout: 90_000 }, async () => {
    const page = await browser().newPage();
    const errors = collectErrors(page);
    await page.goto(`${site}/en/lessons/05-images/`);
    await page.waitForSelector('ll-editor[data-ready]', { timeout: 30_000 });
    await expect.poll(() => page.isEnabled('ll-terminal input'), { timeout: 30_000 }).toBe(true);

    // The lesson's first step, typed in the terminal: the editor's tag is greet:3, the build's greet:1.
    await typeInTerminal(page, 'docker build -t greet:1 .', 'naming to docker.io/library/greet:1');
    await expect
      .poll(() => page.textContent('ll-editor [data-status]'), { timeout: 10_000 })
      .toBe('Built greet:1. Each line shows the layer it made.');
    await expect
      .poll(async () => (await annotations(page)).map((a) => [a.line, a.kind]), { timeout: 10_000 })
      .toEqual([
        [2, 'from'],
        [4, 'layer'],
        [6, 'empty'],
      ]);

    // A new Dockerfile (as a step loads one): the old build's words leave its lines and the list.
    await typeDockerfile(page, ['FROM busybox', 'CMD ["echo", "from the editor"]']);
    await expect.poll(() => annotations(page)).toEqual([]);
    expect(await page.locator('ll-editor .ll-annotation').count()).toBe(0);

    // A build typed in the terminal reads what the editor shows.
    await page.waitForSelector('ll-editor[data-synced]', { timeout: 10_000 });
    await typeInTerminal(page, 'docker build -t shown .', 'naming to docker.io/library/shown');
    await typeInTerminal(page, 'docker run --rm shown', '$ docker run --rm shown');
    await expect.poll(() => page.locator('ll-terminal [data-output] pre.out').last().textContent(), { timeout: 10_000 }).toBe('from the editor\n');
    await expect.poll(() => page.textContent('ll-editor [data-status]'), { timeout: 10_000 }).toBe('Built shown. Each line shows the layer it made.');
    expect(errors).toEqual([]);
    await page.close();
  });
});
