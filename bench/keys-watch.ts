import type { Page } from 'playwright-core';

const KEYS = 'layerlab-bench:takes-keys';
const DRAWN = 'layerlab-bench:drawn';

/**
 * When the page's first widget's terminal takes keys (its input enabled), as `performance.now()`: seen by a
 * requestAnimationFrame loop the page runs from its first script on, and told on the console. Not Playwright's
 * `waitForFunction`: that injects and compiles Playwright's own script on the page's main thread while the widget
 * starts, 60–150 ms at 4× throttling, which the measure then counted as the widget's (BENCHMARKS.md, 2026-12-06).
 * Call before `page.goto`.
 */
export function watchKeys(page: Page): Promise<() => Promise<number>> {
  return watch(page, KEYS, `root?.querySelector('ll-terminal input')?.disabled === false`);
}

/** …and when its picture has first drawn the engine's state (its `data-seq`), by the same kind of loop. */
export function watchDrawn(page: Page): Promise<() => Promise<number>> {
  return watch(page, DRAWN, `root?.querySelector('ll-picture')?.dataset.seq !== undefined`);
}

async function watch(page: Page, message: string, test: string): Promise<() => Promise<number>> {
  await page.addInitScript(`(() => {
    const look = () => {
      const root = document.querySelector('layerlab-playground, layerlab-lesson')?.shadowRoot;
      if (${test}) console.log('${message} ' + performance.now());
      else requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
  })();`);
  const logged = page.waitForEvent('console', { predicate: (m) => m.text().startsWith(message), timeout: 60_000 });
  return async () => Number((await logged).text().slice(message.length + 1));
}
