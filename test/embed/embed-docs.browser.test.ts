import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations } from '../support/axe.js';
import { collectErrors, useBrowser } from '../support/browser.js';
import { useOtherOrigin } from '../support/other-origin.js';
import { missingBrowserPrereqs, requirePrereqs } from '../support/prereqs.js';

const run = requirePrereqs('browser', missingBrowserPrereqs());

/**
 * What a reader sees of one widget: its tag, attributes and file children, the parts its
 * shadow root shows, and what its terminal and tables say once its commands ran — IDs and
 * times masked, since two engines make two sets of them.
 */
async function widget(p: Page, within: string): Promise<unknown> {
  return p.locator(within).evaluate((box) => {
    const el = box.querySelector('layerlab-playground, layerlab-picture, layerlab-lesson')!;
    const root = el.shadowRoot!;
    const mask = (text: string) =>
      text
        .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<date>')
        .replace(/[0-9a-f]{12,64}/g, '<id>')
        .replace(/(About a minute|Less than a second|\d+ (seconds|minutes)) ago/g, '<ago>')
        .replace(/\d+(\.\d+)?s\b/g, '<t>');
    const shown = (el: Element | null) => (el ? (el as HTMLElement).closest('[hidden]') === null : null);
    return {
      tag: el.localName,
      attrs: [...el.attributes].map((a) => `${a.name}=${a.value}`).sort(),
      files: [...el.querySelectorAll('script[data-file]')].map((s) => [s.getAttribute('data-file'), s.textContent!.replace(/^\s+/gm, '').trim()]),
      parts: [...root.querySelectorAll('[part]')].map((n) => n.getAttribute('part')),
      graph: shown(root.querySelector('.picture__graph-box')),
      tables: shown(root.querySelector('.picture__tables')),
      output: mask((root.querySelector('ll-terminal [data-output]') as HTMLElement | null)?.innerText ?? ''),
      tablesText: mask(root.querySelector('[data-tables]')?.textContent ?? ''),
      lesson: (root.querySelector('.lesson') as HTMLElement | null)?.innerText ?? null,
    };
  });
}

describe.skipIf(!run)('the embed docs page, /{lang}/embed', () => {
  const browser = useBrowser();
  const site = inject('siteUrl');
  let pasted = '';
  // A plain page of another origin, holding whatever snippet the test pasted into it.
  const host = useOtherOrigin(
    () => ({
      '/': {
        type: 'text/html',
        body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Docs</title></head><body>${pasted}</body></html>`,
      },
      '/favicon.ico': { body: '', type: 'image/x-icon' },
    }),
    () => site,
  );

  it("the builder's snippet, pasted into a plain page of another origin, makes the same widget as its preview", async () => {
    const p = await browser().newPage();
    const errors = collectErrors(p);
    await p.goto(`${site}/en/embed/`);
    await p.selectOption('form[data-embed-builder] select[name="lang"]', 'en');
    await p.check('form[data-embed-builder] input[name="view"][value="tables"]');
    await p.fill('form[data-embed-builder] input[name="height"]', '560px');
    await p.fill('form[data-embed-builder] textarea[name="commands"]', 'docker build -q -t web .\ndocker run --name web1 web\ndocker ps -a');
    // Made again from the input alone (no submit): the live preview.
    const preview = p.locator('[data-embed-preview]');
    await expect.poll(() => preview.locator('layerlab-playground').getAttribute('height')).toBe('560px');
    await expect.poll(() => preview.locator('ll-terminal [data-output]').textContent(), { timeout: 30_000 }).toMatch(/Exited \(0\)/);
    const snippet = await p.inputValue('[data-embed-snippet]');
    expect(snippet).toContain(`<script type="module" src="${new URL(site).origin}/embed/v1/layerlab.js"></script>`);
    expect(snippet).toContain('<script type="text/plain" data-file="Dockerfile">');
    const made = await widget(p, '[data-embed-preview]');

    pasted = snippet;
    const q = await browser().newPage();
    const qErrors = collectErrors(q);
    await q.goto(`${host.url}/`);
    await expect.poll(() => q.locator('ll-terminal [data-output]').textContent(), { timeout: 30_000 }).toMatch(/Exited \(0\)/);
    expect(await widget(q, 'body')).toEqual(made);
    expect(made).toMatchObject({ tag: 'layerlab-playground', graph: true, tables: true });
    expect((made as { output: string }).output).toContain('hi');
    expect(await q.locator('layerlab-playground').evaluate((el) => el.getBoundingClientRect().height)).toBe(560);

    // The picture: the terminal's box is not offered, and the snippet makes the picture.
    await p.selectOption('form[data-embed-builder] select[name="element"]', 'picture');
    await expect.poll(() => preview.locator('layerlab-picture').count()).toBe(1);
    expect(await p.isDisabled('form[data-embed-builder] input[name="view"][value="terminal"]')).toBe(true);
    await expect.poll(() => preview.locator('[data-tables]').textContent(), { timeout: 30_000 }).toContain('web1');
    pasted = await p.inputValue('[data-embed-snippet]');
    expect(pasted).toContain('<layerlab-picture lang="en" view="graph,tables"');
    await q.goto(`${host.url}/`);
    await expect.poll(() => q.locator('[data-tables]').textContent(), { timeout: 30_000 }).toContain('web1');
    expect(await widget(q, 'body')).toEqual(await widget(p, '[data-embed-preview]'));

    // A lesson: its id and step instead of commands and a Dockerfile; the pasted snippet makes the same step.
    await p.selectOption('form[data-embed-builder] select[name="element"]', 'lesson');
    await expect.poll(() => p.isHidden('form[data-embed-builder] textarea[name="commands"]')).toBe(true);
    await p.selectOption('form[data-embed-builder] select[name="lesson"]', '06-containers');
    await p.fill('form[data-embed-builder] input[name="step"]', '2');
    await expect.poll(() => preview.locator('layerlab-lesson').getAttribute('step')).toBe('2');
    await expect.poll(() => preview.locator('[data-step-panel="write-file"]').isVisible(), { timeout: 30_000 }).toBe(true);
    pasted = await p.inputValue('[data-embed-snippet]');
    expect(pasted).toContain(
      '<layerlab-lesson lang="en" lesson="06-containers" step="2" view="terminal,graph,tables" height="560px"></layerlab-lesson>',
    );
    await q.goto(`${host.url}/`);
    await expect.poll(() => q.locator('[data-step-panel="write-file"]').isVisible(), { timeout: 30_000 }).toBe(true);
    const lesson = await widget(q, 'body');
    expect(lesson).toEqual(await widget(p, '[data-embed-preview]'));
    expect((lesson as { lesson: string }).lesson).toContain('Step 2 of 5 of the lesson');
    expect(errors).toEqual([]);
    expect(qErrors).toEqual([]);
    await p.close();
    await q.close();
  });

  for (const lang of ['ko', 'en'] as const) {
    it(`${lang}: every example is a live embed — the goal example reveals its paragraph, the iframe sizes itself — and axe finds nothing`, async () => {
      const p = await browser().newPage();
      const errors = collectErrors(p);
      await p.goto(`${site}/${lang}/embed/`);
      expect(await p.getAttribute('html', 'lang')).toBe(lang);
      // The nav links here, from every page.
      expect(await p.locator(`header nav:not(.languages) a[href="/${lang}/embed/"]`).count()).toBe(1);
      await expect.poll(() => p.locator('[data-example="quick"] ll-terminal [data-output]').textContent(), { timeout: 30_000 }).toContain('A /f');
      await expect.poll(() => p.locator('[data-example="picture"] [data-tables]').textContent(), { timeout: 30_000 }).toContain('greeter');
      await expect.poll(() => p.locator('[data-example="wrong"] .problems').textContent()).toContain('theme="blue"');
      // The lesson example: step 2 of 06-containers, in the page's language, once step 1's commands have run.
      await expect.poll(() => p.locator('[data-example="lesson"] [data-step-panel="write-file"]').isVisible(), { timeout: 30_000 }).toBe(true);
      expect(await p.locator('[data-example="lesson"] .lesson h2').textContent()).toBe(lang === 'ko' ? '컨테이너' : 'Containers');
      // The snippets shown name this site, not the placeholder.
      expect(await p.locator('pre code').first().textContent()).toContain(`${new URL(site).origin}/embed/v1/layerlab.js`);
      expect(await p.locator('#embed-goal-next').isHidden()).toBe(true);
      const input = p.locator('[data-example="goal"] ll-terminal input');
      await expect.poll(() => input.isEnabled(), { timeout: 20_000 }).toBe(true);
      await input.fill('docker run --name c1 busybox');
      await input.press('Enter');
      await expect.poll(() => p.locator('#embed-goal-next').isVisible()).toBe(true);
      const frame = p.locator('[data-example="frame"] iframe');
      await frame.scrollIntoViewIfNeeded();
      await expect
        .poll(() => p.frameLocator('[data-example="frame"] iframe').locator('[data-tables]').textContent(), { timeout: 30_000 })
        .toContain('c1');
      await expect.poll(() => frame.getAttribute('height')).not.toBe('400');
      expect(await axeViolations(p)).toEqual([]);
      expect(errors).toEqual([]);
      await p.close();
    });
  }
});
