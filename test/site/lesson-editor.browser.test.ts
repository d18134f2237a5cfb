import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { annotations, editorFiles, typeDockerfile } from '../editor/editor-page.js';
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

// Lesson 5's last step presets the editor's Dockerfile and checks the learner's edit
// (a fileContent goal) with the build and run that follow it.
describe.skipIf(!run)('a lesson step with preset editor files (lesson 05, simulator)', () => {
  const browser = useBrowser();
  const site = inject('siteUrl');

  it.each(['en', 'ko'] as const)(
    '%s: the step loads its Dockerfile into the editor; a build without the edit does not finish it, the edit does',
    { timeout: 180_000 },
    async (locale) => {
      const lesson = lessons(locale).find((l) => l.id === '05-images')!;
      const step = lesson.steps.find((s) => s.id === 'edit-config')!;
      const earlier = lesson.steps.slice(0, lesson.steps.indexOf(step));
      const page = await browser().newPage();
      const errors = collectErrors(page);
      await page.goto(`${site}/${locale}/lessons/05-images/`);
      await page.waitForSelector('ll-editor[data-ready]', { timeout: 30_000 });
      await expect.poll(() => page.isEnabled('ll-terminal input'), { timeout: 30_000 }).toBe(true);
      expect(await axeViolations(page, 'serious')).toEqual([]);

      // Until the step is current the editor holds the lesson's files/ as they are.
      const startingDockerfile = readFileSync(join(dirname(lesson.path), 'files', 'Dockerfile'), 'utf8');
      expect((await editorFiles(page)).map((f) => f.path)).toEqual(['Dockerfile', 'bye.txt', 'hello.txt', 'v2.Dockerfile']);
      expect((await editorFiles(page)).find((f) => f.path === 'Dockerfile')!.content).toBe(startingDockerfile);

      for (const s of earlier) {
        await typeCommands(page, s.solution);
        await expect.poll(() => page.locator(`[data-step-item="${s.id}"][data-done]`).count(), { timeout: 30_000 }).toBe(1);
      }
      await expect.poll(() => page.getAttribute(`[data-step-item="${step.id}"]`, 'aria-current')).toBe('step');
      // The step's Dockerfile replaces the lesson's; the files it COPYs stay.
      await expect
        .poll(async () => (await editorFiles(page)).find((f) => f.path === 'Dockerfile')?.content, { timeout: 10_000 })
        .toBe(step.files!.Dockerfile);
      expect((await editorFiles(page)).map((f) => f.path)).toEqual(['Dockerfile', 'bye.txt', 'hello.txt', 'v2.Dockerfile']);
      // The keys stay at the prompt the learner was typing at: the next command must not land in the Dockerfile.
      expect(await page.evaluate(() => document.activeElement?.matches('ll-terminal input'))).toBe(true);
      await expect
        .poll(async () => (await page.textContent('ll-editor .monaco .view-lines'))?.replace(/\u00a0/g, ' '))
        .toContain('CMD ["cat", "/hello.txt"]');

      // Build and run without the edit: the image still cats hello.txt, and the step stays open.
      await page.click('ll-editor [data-build]');
      await expect.poll(() => output(page), { timeout: 30_000 }).toContain('naming to docker.io/library/greet:3');
      await typeCommands(page, ['docker run --name greeter greet:3']);
      await expect.poll(() => output(page), { timeout: 30_000 }).toContain('Hello from a layer!');
      await typeCommands(page, ['docker rm greeter']);
      await expect.poll(async () => (await output(page)).trimEnd().endsWith('greeter')).toBe(true);
      expect(await page.locator(`[data-step-item="${step.id}"][data-done]`).count()).toBe(0);

      // The edit the step asks for, built with Ctrl/Cmd-Enter: COPY comes from the cache, the new CMD makes no layer.
      await typeDockerfile(page, step.solutionFiles!.Dockerfile!.trimEnd().split('\n'));
      await page.keyboard.press('ControlOrMeta+Enter');
      await expect
        .poll(async () => (await annotations(page)).map((a) => [a.line, a.kind, a.cached]), { timeout: 30_000 })
        .toEqual([
          [1, 'from', 'false'],
          [2, 'layer', 'true'],
          [3, 'empty', 'false'],
        ]);
      await typeCommands(page, ['docker run --name greeter greet:3']);
      await expect.poll(() => output(page), { timeout: 30_000 }).toContain('Hello from the config!');
      await expect.poll(() => page.locator(`[data-step-item="${step.id}"][data-done]`).count(), { timeout: 30_000 }).toBe(1);
      await expect.poll(() => page.isVisible('ll-lesson [data-complete]')).toBe(true);
      expect(await axeViolations(page, 'serious')).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    },
  );
});
