import { describe, expect, inject, it } from 'vitest';
import { useBrowser, collectErrors } from '../support/browser.js';
import { missingBrowserPrereqs, requirePrereqs } from '../support/prereqs.js';

const run = requirePrereqs('browser', missingBrowserPrereqs());

describe.skipIf(!run)('home pages', () => {
  const browser = useBrowser();
  const site = inject('siteUrl');

  it.each([
    ['ko-KR', 'ko', '컨테이너'],
    ['en-US', 'en', 'containers'],
  ])('/ sends a browser preferring %s to /%s/, which says what Layerlab is', async (browserLocale, lang, word) => {
    const context = await browser().newContext({ locale: browserLocale });
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(`${site}/`);
    await page.waitForURL(`${site}/${lang}/`);
    expect(await page.getAttribute('html', 'lang')).toBe(lang);
    expect(await page.textContent('main')).toContain(word);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the locale switcher keeps the page', async () => {
    const page = await browser().newPage();
    await page.goto(`${site}/ko/`);
    await page.click('a[hreflang="en"]');
    await page.waitForURL(`${site}/en/`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.close();
  });
});
