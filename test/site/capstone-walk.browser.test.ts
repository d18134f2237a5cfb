import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { editorFiles, typeDockerfile } from '../editor/editor-page.js';
import { lessons } from '../lessons/lesson-files.js';
import { axeViolations } from '../support/axe.js';
import { collectErrors, useBrowser } from '../support/browser.js';
import { missingBrowserPrereqs, requirePrereqs } from '../support/prereqs.js';

const run = requirePrereqs('browser', missingBrowserPrereqs());

async function typeCommands(page: Page, commands: string[]): Promise<void> {
  for (const command of commands) {
    await page.fill('ll-terminal input', command);
    await page.press('ll-terminal input', 'Enter');
  }
}

const output = (page: Page) => page.textContent('ll-terminal [data-output]').then((t) => t ?? '');

/**
 * The capstone as a learner does it in the page: its steps show no command, so the learner
 * opens the graded hints one at a time (the next opens only inside the one before), edits the
 * editor's files, builds with the Build button — which names the image as the current step
 * asks — and types the rest; the picture, the registry and the volume are the page's own.
 */
describe.skipIf(!run)('the capstone walked in the page (simulator)', () => {
  const browser = useBrowser();
  const site = inject('siteUrl');

  it.each(['en', 'ko'] as const)(
    '%s: graded hints, edits built by the Build button under each step’s tag, the last lesson offers the index',
    { timeout: 240_000 },
    async (locale) => {
      const lesson = lessons(locale).find((l) => l.id === '14-capstone')!;
      const page = await browser().newPage();
      const errors = collectErrors(page);
      try {
        await page.goto(`${site}/${locale}/lessons/14-capstone/`);
        await page.waitForSelector('ll-editor[data-ready]', { timeout: 30_000 });
        await expect.poll(() => page.isEnabled('ll-terminal input'), { timeout: 30_000 }).toBe(true);
        expect(await axeViolations(page, 'serious')).toEqual([]);

        // Graded hints: the second is out of reach until the first is open.
        const first = lesson.steps[0]!;
        const panel = page.locator(`[data-step-panel="${first.id}"]`);
        expect(await panel.locator('details[data-hint="2"] > summary').isVisible()).toBe(false);
        await panel.locator('details[data-hint="1"] > summary').click();
        expect(await panel.locator('details[data-hint="1"] > p').textContent()).toBe(first.hint[0]!.replace(/`/g, ''));
        expect(await panel.locator('details[data-hint="3"] > summary').isVisible()).toBe(false);
        await panel.locator('details[data-hint="2"] > summary').click();
        await panel.locator('details[data-hint="3"] > summary').click();
        expect(await panel.locator('details[data-hint="3"] > p').textContent()).toContain('docker build -t guestbook:1 .');
        expect(await panel.locator('details[data-solution]').getAttribute('open')).toBeNull();

        let pressedBuild = 0;
        for (const [i, step] of lesson.steps.entries()) {
          await expect.poll(() => page.getAttribute(`[data-step-item="${step.id}"]`, 'aria-current')).toBe('step');
          expect(await page.locator('[data-step-item][data-done]').count()).toBe(i);
          for (const [path, content] of Object.entries(step.solutionFiles ?? {})) {
            await page.click(`ll-editor [data-path="${path}"]`);
            await typeDockerfile(page, content.trimEnd().split('\n'), path);
            expect((await editorFiles(page)).find((f) => f.path === path)?.content).toBe(content.trimEnd());
          }
          const [command, ...rest] = step.solution;
          const tag = step.buildTag ?? lesson.editor!.tag;
          if (command === `docker build -t ${tag} .`) {
            // The Build button names the image as this step asks.
            await page.click('ll-editor [data-build]');
            await expect.poll(() => output(page), { timeout: 30_000 }).toContain(`naming to docker.io/library/${tag} done`);
            pressedBuild++;
          } else await typeCommands(page, [command!]);
          await typeCommands(page, rest);
          await expect.poll(() => page.locator(`[data-step-item="${step.id}"][data-done]`).count(), { timeout: 60_000 }).toBe(1);
        }
        expect(pressedBuild).toBe(4);
        expect(await output(page)).toContain('visitor number 3. Thanks for coming!');
        await expect.poll(() => page.isVisible('ll-lesson [data-complete]')).toBe(true);
        expect(await page.getAttribute('ll-lesson [data-complete] a', 'href')).toBe(`/${locale}/lessons/`);
        expect(await axeViolations(page, 'serious')).toEqual([]);
        expect(errors).toEqual([]);
      } finally {
        await page.close();
      }
    },
  );
});
