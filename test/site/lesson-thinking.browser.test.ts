import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { lessons } from '../lessons/lesson-files.js';
import { axeViolations } from '../support/axe.js';
import { collectErrors, useBrowser } from '../support/browser.js';
import { missingBrowserPrereqs, requirePrereqs } from '../support/prereqs.js';

const run = requirePrereqs('browser', missingBrowserPrereqs());

const lesson = (locale: 'ko' | 'en', id: string) => lessons(locale).find((l) => l.id === id)!;

async function type(page: Page, commands: readonly string[]): Promise<void> {
  for (const command of commands) {
    await page.fill('ll-terminal input', command);
    await page.press('ll-terminal input', 'Enter');
  }
}

async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect.poll(() => page.isEnabled('ll-terminal input'), { timeout: 30_000 }).toBe(true);
}

const stepDone = (page: Page, id: string) =>
  expect.poll(() => page.locator(`[data-step-item="${id}"][data-done]`).count(), { timeout: 30_000 }).toBe(1);

// Issue 16: the learner thinks before and after a command — a guess, a challenge with only its goal, a quiz.
describe.skipIf(!run)('lessons that ask the learner to think (simulator)', () => {
  const browser = useBrowser();
  const site = inject('siteUrl');

  it('a learner who predicts wrong sees their guess beside what happened, and goes on', { timeout: 120_000 }, async () => {
    const data = lesson('en', '04-layers');
    const predict = data.steps.find((s) => s.id === 'copy-up')!.predict!;
    const page = await browser().newPage();
    const errors = collectErrors(page);
    try {
      await open(page, `${site}/en/lessons/04-layers/`);
      await type(page, data.steps[0]!.solution);
      await stepDone(page, 'second-name');
      const form = page.locator('[data-predict="copy-up"]');
      expect(await form.isVisible()).toBe(true);
      const wrong = predict.choices!.findIndex((_, i) => i !== predict.answer);
      await form.locator(`input[value="${wrong}"]`).check();
      await form.getByRole('button').click();
      await expect.poll(() => form.locator('[data-predict-saved]').textContent()).toContain('Your guess');
      expect(await axeViolations(page, 'serious')).toEqual([]);

      await type(page, data.steps[1]!.solution);
      await stepDone(page, 'copy-up');
      const result = page.locator('[data-predict-result="copy-up"]');
      await expect.poll(() => result.isVisible()).toBe(true);
      const text = (await result.textContent()) ?? '';
      expect(text).toContain('Not what happened');
      expect(text).toContain(`You guessed: ${predict.choices![wrong]}`);
      expect(text).toContain(`What happened: ${predict.choices![predict.answer!]}`);
      expect(await result.getAttribute('data-right')).toBeNull();
      expect(await axeViolations(page, 'serious')).toEqual([]);

      // Wrong or not, the next step is current and can be done.
      expect(await page.getAttribute('[data-step-item="image-unchanged"]', 'aria-current')).toBe('step');
      await type(page, data.steps[2]!.solution);
      await stepDone(page, 'image-unchanged');
      await expect.poll(() => result.isVisible()).toBe(false);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('the challenge opens after the steps: hints one at a time, a near miss said, done kept over a reload (ko)', { timeout: 120_000 }, async () => {
    const data = lesson('ko', '01-what-is-docker');
    const challenge = data.challenge!;
    const page = await browser().newPage();
    const errors = collectErrors(page);
    try {
      await open(page, `${site}/ko/lessons/01-what-is-docker/`);
      const box = page.locator('[data-challenge]');
      expect(await box.isVisible()).toBe(false);
      for (const step of data.steps) {
        await type(page, step.solution);
        await stepDone(page, step.id);
      }
      await expect.poll(() => box.isVisible()).toBe(true);
      const hints = box.locator('[data-hints] li');
      expect(await hints.filter({ visible: true }).count()).toBe(0);
      for (let n = 1; n <= challenge.hints.length; n++) {
        await box.locator('[data-hint-next]').click();
        await expect.poll(() => hints.filter({ visible: true }).count()).toBe(n);
      }
      expect(await box.locator('[data-hint-next]').isVisible()).toBe(false);
      expect(await box.locator('details').getAttribute('open')).toBeNull();

      const miss = challenge.nearMisses[0]!;
      await type(page, miss.commands);
      const status = box.locator('[data-challenge-status]');
      await expect.poll(() => status.textContent(), { timeout: 30_000 }).toContain(miss.message.replace(/`/g, '').slice(0, 12));
      expect(await box.getAttribute('data-done')).toBeNull();
      expect(await axeViolations(page, 'serious')).toEqual([]);

      await type(page, ['docker start greet']);
      await expect.poll(() => box.getAttribute('data-done'), { timeout: 30_000 }).toBe('');
      expect(await status.textContent()).toBe('도전 과제를 해냈어요!');

      await open(page, `${site}/ko/lessons/01-what-is-docker/`);
      await expect.poll(() => page.locator('[data-challenge][data-done]').isVisible()).toBe(true);
      expect(await page.locator('[data-challenge] [data-hints] li').filter({ visible: true }).count()).toBe(challenge.hints.length);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('the quiz explains a wrong answer and a right one, scores them and keeps them with the progress', { timeout: 60_000 }, async () => {
    const quiz = lesson('en', '01-what-is-docker').quiz!;
    const page = await browser().newPage();
    const errors = collectErrors(page);
    try {
      await open(page, `${site}/en/lessons/01-what-is-docker/`);
      const [first, second] = quiz;
      const form = (id: string) => page.locator(`ll-quiz form[data-question="${id}"]`);
      const wrong = first!.choices.findIndex((_, i) => i !== first!.answer);
      await form(first!.id).locator(`input[value="${wrong}"]`).check();
      await form(first!.id).getByRole('button').click();
      const feedback = form(first!.id).locator('[data-feedback]');
      await expect.poll(() => feedback.isVisible()).toBe(true);
      expect(await feedback.textContent()).toContain(`Not quite. The answer is: ${first!.choices[first!.answer]}`);
      expect(await feedback.textContent()).toContain(first!.explain.replace(/`/g, ''));
      await form(second!.id).locator(`input[value="${second!.answer}"]`).check();
      await form(second!.id).getByRole('button').click();
      await expect.poll(() => form(second!.id).locator('[data-feedback]').textContent()).toContain('Right.');
      await expect.poll(() => page.textContent('ll-quiz [data-score]')).toBe(`1 of ${quiz.length} right`);
      expect(await axeViolations(page, 'serious')).toEqual([]);

      await page.reload();
      await expect.poll(() => form(first!.id).locator('[data-feedback]').isVisible()).toBe(true);
      expect(await form(first!.id).locator(`input[value="${wrong}"]`).isChecked()).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
