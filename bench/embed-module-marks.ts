// Issue 15's start, module by module: what evaluating each module of the embed's start file costs a page at 4× CPU
// throttling, from marks the build puts before each module's code (`LAYERLAB_EMBED_MARKS=1`, build-embed.mjs) —
// without a profiler's overhead, which at 4× drowns a few milliseconds. A module's time runs to the next module's
// mark, so it holds whatever its code runs at once (embed-elements.ts: the widget's connectedCallback). A tool for
// finding where the start goes, not a benchmark: `LAYERLAB_EMBED_MARKS=1 npx astro build --outDir /tmp/marked`, then
// `npx tsx bench/embed-module-marks.ts /tmp/marked [PAGES]` (default 9 pages, one playground each).
import { resolve } from 'node:path';
import { MODULE_MARK } from '../scripts/lib/build-embed.mjs';
import { launchBrowser } from '../test/support/browser.js';
import { median } from './harness.js';
import { watchKeys } from './keys-watch.js';
import { playgroundPages } from './playground-page.js';
import { startSiteChild } from './site-child.js';

const siteDir = resolve(process.argv[2] ?? 'dist');
const pageCount = Number(process.argv[3] ?? 9);
const server = await startSiteChild(siteDir);
const pages = await playgroundPages([server.url]);
const browser = await launchBrowser();
const byModule = new Map<string, number[]>();
const firstMark: number[] = [];
const lastMark: number[] = [];
const keys: number[] = [];
try {
  for (let i = 0; i < pageCount; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    const takesKeys = await watchKeys(page);
    await page.goto(pages.url());
    keys.push(await takesKeys());
    const marks = await page.evaluate(
      (prefix) =>
        performance
          .getEntriesByType('mark')
          .filter((m) => m.name.startsWith(prefix))
          .map((m) => ({ name: m.name.slice(prefix.length), at: m.startTime })),
      MODULE_MARK,
    );
    if (marks.length === 0) throw new Error(`no module marks in ${siteDir}: build it with LAYERLAB_EMBED_MARKS=1`);
    marks.forEach((m, k) => {
      const next = marks[k + 1];
      if (next) byModule.set(m.name, [...(byModule.get(m.name) ?? []), next.at - m.at]);
    });
    firstMark.push(marks[0]!.at);
    lastMark.push(marks.at(-1)!.at);
    await context.close();
  }
  console.log(
    `${pageCount} pages at 4×, medians: navigation → first module ${median(firstMark).toFixed(0)} ms, → last module ${median(lastMark).toFixed(0)} ms, → keys ${median(keys).toFixed(0)} ms`,
  );
  console.log("module (to the next module's mark), median ms:");
  for (const [name, times] of [...byModule].sort((a, b) => median(b[1]) - median(a[1])).slice(0, 25))
    console.log(`  ${median(times).toFixed(2).padStart(6)}  ${name}`);
} finally {
  await browser.close();
  pages.close();
  server.stop();
}
