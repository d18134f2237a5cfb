import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowser, collectErrors } from '../support/browser.js';
import { missingBrowserPrereqs, requirePrereqs } from '../support/prereqs.js';
import { typeDockerfile } from './editor-page.js';

const run = requirePrereqs('browser', missingBrowserPrereqs());

/** Image IDs (`docker images -a`) and the picture's layer nodes: the state a link must reproduce. */
async function imagesAndLayers(page: Page): Promise<{ images: number; layers: number }> {
  await page.evaluate(
    (l) => (document.querySelector('ll-terminal') as HTMLElement & { runCommands(l: string[]): Promise<void> }).runCommands(l),
    ['docker images -a --format {{.ID}}'],
  );
  const out = (await page.locator('ll-terminal [data-output] pre.out').last().textContent()) ?? '';
  return { images: out.trim().split('\n').length, layers: await page.locator('ll-picture g.layer-graph__layer:not(.is-exiting)').count() };
}

describe.skipIf(!run)('a shared playground link', () => {
  const browser = useBrowser();
  const site = inject('siteUrl');

  it('replays each build with the files it was built from, and says when the replay has ended', { timeout: 90_000 }, async () => {
    const page = await browser().newPage();
    const errors = collectErrors(page);
    await page.goto(`${site}/en/playground/`);
    await page.waitForSelector('ll-editor[data-ready]', { timeout: 30_000 });
    await expect.poll(() => page.isEnabled('ll-editor [data-build]'), { timeout: 30_000 }).toBe(true);
    // Two builds of my-image with different files: the first image stays, untagged.
    await typeDockerfile(page, ['FROM busybox', 'RUN echo a > /a']);
    await page.click('ll-editor [data-build]');
    await expect.poll(() => page.textContent('ll-terminal [data-output]'), { timeout: 30_000 }).toContain('naming to docker.io/library/my-image');
    await typeDockerfile(page, ['FROM busybox', 'RUN echo b > /b', 'RUN echo c > /c']);
    await page.click('ll-editor [data-build]');
    await expect.poll(() => page.locator('ll-picture g.layer-graph__layer:not(.is-exiting)').count(), { timeout: 30_000 }).toBe(4);
    const before = await imagesAndLayers(page);
    // busybox, the first my-image (untagged now), the second and its intermediate image; busybox's layer, a, b, c.
    expect(before).toEqual({ images: 4, layers: 4 });
    await page.click('[data-share]');
    // The click's handler writes the link (an async encode) and then says so: a link read before that, on a loaded
    // machine, had no commands in it and opened as an empty playground (a CI run's failure).
    await expect.poll(() => page.textContent('[data-share-status]'), { timeout: 10_000 }).not.toBe('');
    const link = await page.evaluate(() => location.href);
    await page.close();

    const opened = await browser().newPage();
    await opened.goto(link);
    await expect.poll(() => opened.textContent('[data-share-status]'), { timeout: 60_000 }).toMatch(/^Replayed 3 commands/);
    expect(await imagesAndLayers(opened)).toEqual(before);
    // The editor shows the files the link was copied with.
    expect(
      await opened.evaluate(
        () =>
          (document.querySelector('ll-editor') as unknown as { contextFiles(): { path: string; content: string }[] })
            .contextFiles()
            .find((f) => f.path === 'Dockerfile')?.content,
      ),
    ).toBe('FROM busybox\nRUN echo b > /b\nRUN echo c > /c');
    expect(errors).toEqual([]);
    await opened.close();
  });
});
