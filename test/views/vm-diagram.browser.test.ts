import { describe, expect, inject, it } from 'vitest';
import { collectErrors, useBrowser } from '../support/browser.js';
import { missingBrowserPrereqs, requirePrereqs } from '../support/prereqs.js';
import en from '../../src/i18n/en.json';
import ko from '../../src/i18n/ko.json';

const run = requirePrereqs('browser', missingBrowserPrereqs());

describe.skipIf(!run)('the VM-versus-container diagram in lesson 3', () => {
  const browser = useBrowser();
  const site = inject('siteUrl');

  it.each([
    ['en', en],
    ['ko', ko],
  ] as const)('steps from the hardware to containers sharing the host kernel (%s)', async (lang, strings) => {
    const page = await browser().newPage();
    const errors = collectErrors(page);
    await page.goto(`${site}/${lang}/lessons/03-vm-vs-container/`);
    const diagram = page.locator('ll-vm-diagram');
    const caption = diagram.locator('[data-caption]');
    await expect.poll(() => caption.textContent()).toBe(strings['vm.step0']);
    expect(await diagram.locator('[data-prev]').isDisabled()).toBe(true);
    for (const step of [1, 2, 3] as const) {
      await diagram.locator('[data-next]').click();
      expect(await caption.textContent()).toBe(strings[`vm.step${step}`]);
      expect(await diagram.getAttribute('data-step')).toBe(String(step));
    }
    expect(await diagram.locator('[data-next]').isDisabled()).toBe(true);
    // Keyboard: ← on the focused picture goes back a step.
    await diagram.locator('svg').focus();
    await page.keyboard.press('ArrowLeft');
    expect(await diagram.getAttribute('data-step')).toBe('2');
    expect(errors).toEqual([]);
    await page.close();
  });
});
