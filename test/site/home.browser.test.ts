import { describe, expect, inject, it } from 'vitest';
import { useBrowser, collectErrors } from '../support/browser.js';
import { missingBrowserPrereqs, missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';
import { useSandboxSite } from '../support/site-server.js';
import type { Browser } from 'playwright-core';

const run = requirePrereqs('browser', missingBrowserPrereqs());

/** What the home page of `lang` says about where commands run, once the page knows. */
async function whereCommandsRun(browser: Browser, site: string, lang: string): Promise<string> {
  const page = await browser.newPage();
  const errors = collectErrors(page);
  await page.goto(`${site}/${lang}/`);
  await page.waitForSelector('ll-backend-note[data-backend]');
  const text = (await page.textContent('main'))!;
  expect(errors).toEqual([]);
  await page.close();
  return text;
}

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

  it('says the commands run in the simulator, in the browser, when the server runs no sandbox', async () => {
    const ko = await whereCommandsRun(browser(), site, 'ko');
    expect(ko).toContain('여기서는 명령이 브라우저 안의 시뮬레이터에서 실행돼요.');
    expect(ko).not.toContain('실제 컨테이너에서 실행돼요');
    const en = await whereCommandsRun(browser(), site, 'en');
    expect(en).toContain('Here, commands run in the simulator, in your browser.');
    expect(en).not.toContain('real containers');
  });
});

// The same sentence on a server whose sandbox runs: it must not claim the simulator.
describe.skipIf(!requirePrereqs('browser + linux', [...missingBrowserPrereqs(), ...missingLinuxPrereqs()]))(
  'home pages on the sandbox (root)',
  () => {
    const browser = useBrowser();
    const server = useSandboxSite('layerlab-home-sandbox-');

    it('says the commands run in real containers on this server, in both languages', async () => {
      const ko = await whereCommandsRun(browser(), server.url, 'ko');
      expect(ko).toContain('여기서는 명령이 이 서버의 실제 컨테이너에서 실행돼요.');
      expect(ko).not.toContain('시뮬레이터');
      const en = await whereCommandsRun(browser(), server.url, 'en');
      expect(en).toContain('Here, commands run in real containers on this server.');
      expect(en).not.toContain('simulator');
    });
  },
);
