// Issue 15's start side by side: two or more built sites (each a LAYERLAB_SITE_DIR with `embed/v1/`) served at
// once, one playground each, alternated round by round at 4× CPU throttling, so the machine's load falls on all
// alike. Prints per site the median navigation → terminal-takes-keys, the JS fetched until then and the main
// thread's busy and script time (Performance.getMetrics), when the entry and the last of the start's files had come
// (Resource Timing), and when the picture first drew the engine's state. `npx tsx bench/embed-ab.ts ROUNDS DIR_A DIR_B …`
import { launchBrowser } from '../test/support/browser.js';
import { countFetched } from './fetched-bytes.js';
import { watchDrawn, watchKeys } from './keys-watch.js';
import { playgroundPages } from './playground-page.js';
import { startSiteChild } from './site-child.js';

const [roundsArg, ...dirs] = process.argv.slice(2);
const rounds = Number(roundsArg);
const servers = await Promise.all(dirs.map((dir) => startSiteChild(dir)));
const sites = servers.map((s) => s.url);
const pages = await playgroundPages(sites);
const browser = await launchBrowser();
const times: number[][] = dirs.map(() => []);
const bytes: number[] = dirs.map(() => 0);
const script: number[][] = dirs.map(() => []);
const task: number[][] = dirs.map(() => []);
const drawn: number[][] = dirs.map(() => []);
// Resource Timing: when the entry had come, and when the last file the start fetched had (the rest is the main thread's).
const entryEnd: number[][] = dirs.map(() => []);
const lastEnd: number[][] = dirs.map(() => []);
try {
  for (let r = 0; r < rounds; r++)
    for (let s = 0; s < dirs.length; s++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
      await cdp.send('Performance.enable');
      const scripts = countFetched(page);
      const takesKeys = await watchKeys(page);
      const picture = await watchDrawn(page);
      await page.goto(pages.url(s));
      times[s]!.push(await takesKeys());
      // …and the picture's first drawing of the engine's state (its data-seq), which may come a task later.
      drawn[s]!.push(await picture());
      const arrivals = await page.evaluate(() =>
        performance.getEntriesByType('resource').map((e) => ({ name: e.name, end: (e as PerformanceResourceTiming).responseEnd })),
      );
      entryEnd[s]!.push(arrivals.find((a) => a.name.endsWith('/layerlab.js'))?.end ?? NaN);
      lastEnd[s]!.push(Math.max(...arrivals.filter((a) => a.name.includes('/embed/v1/')).map((a) => a.end)));
      const { metrics } = await cdp.send('Performance.getMetrics');
      const m = (n: string) => metrics.find((x) => x.name === n)!.value * 1000;
      script[s]!.push(m('ScriptDuration'));
      task[s]!.push(m('TaskDuration'));
      bytes[s] = await scripts.total();
      await context.close();
    }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  dirs.forEach((d, s) =>
    console.log(
      `${d}: median ${med(times[s]!).toFixed(0)} ms  [${times[s]!.map((t) => t.toFixed(0)).join(' ')}], picture drawn ${med(drawn[s]!).toFixed(0)} ms; entry arrived ${med(entryEnd[s]!).toFixed(0)} ms, the start's last file ${med(lastEnd[s]!).toFixed(0)} ms;  fetched ${(bytes[s]! / 1024).toFixed(1)} KB; main thread busy (TaskDuration) median ${med(task[s]!).toFixed(0)} ms, of which script ${med(script[s]!).toFixed(0)} ms`,
    ),
  );
} finally {
  await browser.close();
  pages.close();
  for (const s of servers) s.stop();
}
