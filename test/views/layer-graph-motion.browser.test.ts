import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { collectErrors, useBrowser } from '../support/browser.js';
import { missingBrowserPrereqs, requirePrereqs } from '../support/prereqs.js';

const run = requirePrereqs('browser', missingBrowserPrereqs());

interface Seen {
  added: { at: number; animations: string[] }[];
  exiting: { at: number; animations: string[] }[];
  removed: number[];
}

/** Watches the graph's container nodes: each one added, marked leaving and removed, when, and the animations it had then. */
async function watchContainers(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: Seen = { added: [], exiting: [], removed: [] };
    (window as unknown as { __seen: Seen }).__seen = seen;
    const isNode = (n: Node): n is SVGGElement => n instanceof SVGGElement && n.classList.contains('layer-graph__container');
    // What each running animation animates: the properties of its last keyframe (the graph's are script animations).
    const timing = new Set(['offset', 'computedOffset', 'easing', 'composite']);
    const kinds = (el: Element) =>
      el.getAnimations().map((a) =>
        Object.keys((a.effect as KeyframeEffect).getKeyframes().at(-1) ?? {})
          .filter((k) => !timing.has(k))
          .join(),
      );
    new MutationObserver((records) => {
      for (const r of records) {
        for (const n of r.addedNodes) if (isNode(n)) seen.added.push({ at: performance.now(), animations: kinds(n) });
        for (const n of r.removedNodes) if (isNode(n)) seen.removed.push(performance.now());
        if (r.type === 'attributes' && isNode(r.target) && r.target.classList.contains('is-exiting') && !(r.oldValue ?? '').includes('is-exiting'))
          seen.exiting.push({ at: performance.now(), animations: kinds(r.target) });
      }
    }).observe(document.querySelector('ll-picture svg')!, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['class'],
      attributeOldValue: true,
    });
  });
}

const seen = (page: Page) => page.evaluate(() => (window as unknown as { __seen: Seen }).__seen);
const runCommands = (page: Page, lines: string[]) =>
  page.evaluate((l) => (document.querySelector('ll-terminal') as HTMLElement & { runCommands(l: string[]): Promise<void> }).runCommands(l), lines);

/** The layer graph's nodes fade in and out with the browser's animations (layer-graph-transitions.view.ts), or not at all for reduced motion. */
describe.skipIf(!run)("the layer graph's motion", () => {
  const browser = useBrowser();
  const site = inject('siteUrl');

  for (const reducedMotion of ['no-preference', 'reduce'] as const)
    it(`a container's node comes and goes ${reducedMotion === 'reduce' ? 'at once, for reduced motion' : 'fading, and is removed once faded'}`, async () => {
      const context = await browser().newContext({ viewport: { width: 1400, height: 1000 }, reducedMotion });
      const page = await context.newPage();
      const errors = collectErrors(page);
      await page.goto(`${site}/en/lessons/06-containers/`);
      await expect.poll(() => page.isEnabled('ll-terminal input'), { timeout: 20_000 }).toBe(true);
      await expect.poll(() => page.locator('ll-picture g.layer-graph__layer').count(), { timeout: 10_000 }).toBeGreaterThan(0);
      await watchContainers(page);
      await runCommands(page, ['docker create --name passing busybox']);
      await expect.poll(async () => (await seen(page)).added.length, { timeout: 10_000 }).toBe(1);
      await runCommands(page, ['docker rm passing']);
      await expect.poll(async () => (await seen(page)).removed.length, { timeout: 10_000 }).toBe(1);
      const { added, exiting, removed } = await seen(page);
      expect(exiting).toHaveLength(1);
      if (reducedMotion === 'reduce') {
        expect(added[0]!.animations).toEqual([]);
        expect(exiting[0]!.animations).toEqual([]);
        // Removed in the same task that marked it.
        expect(removed[0]! - exiting[0]!.at).toBeLessThan(50);
      } else {
        expect(added[0]!.animations).toEqual(['opacity']);
        expect(exiting[0]!.animations).toContain('opacity');
        // Faded over the picture's 300 ms, then removed.
        expect(removed[0]! - exiting[0]!.at).toBeGreaterThanOrEqual(250);
      }
      expect(await page.locator('ll-picture g.layer-graph__container').count()).toBe(0);
      expect(errors).toEqual([]);
      await context.close();
    });
});
