import type { Page } from 'playwright-core';

const MESSAGE = 'layerlab-bench:takes-keys';

/**
 * When the page's first widget's terminal takes keys (its input enabled), as `performance.now()`: seen by a
 * requestAnimationFrame loop the page runs from its first script on, and told on the console. Not Playwright's
 * `waitForFunction`: that injects and compiles Playwright's own script on the page's main thread while the widget
 * starts, 60–150 ms at 4× throttling, which the measure then counted as the widget's (BENCHMARKS.md, 2026-12-06).
 * Call before `page.goto`.
 */
export async function watchKeys(page: Page): Promise<() => Promise<number>> {
  await page.addInitScript(`(() => {
    const look = () => {
      const input = document.querySelector('layerlab-playground, layerlab-lesson')?.shadowRoot?.querySelector('ll-terminal input');
      if (input && !input.disabled) console.log('${MESSAGE} ' + performance.now());
      else requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
  })();`);
  const message = page.waitForEvent('console', { predicate: (m) => m.text().startsWith(MESSAGE), timeout: 60_000 });
  return async () => Number((await message).text().slice(MESSAGE.length + 1));
}
