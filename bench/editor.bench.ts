// Issue "editor": lesson pages without an editor ship under 250 KB of JavaScript
// gzipped, and opening the editor (Monaco fetched, the Dockerfile language registered,
// the engine up) takes under 1.5 s, in Debian's Chromium against the built site.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchBrowser } from '../test/support/browser.js';
import { fmtMs, median, quantile, report, type Sample } from './harness.js';
import { startSiteChild } from './site-child.js';

const siteDir = resolve(process.env.LAYERLAB_SITE_DIR ?? 'dist');
if (!existsSync(join(siteDir, 'index.html'))) throw new Error(`no built site in ${siteDir}: run \`npx astro build\``);
const server = await startSiteChild(siteDir);
const site = server.url;
const browser = await launchBrowser();

try {
  // Every lesson page in both locales that carries no editor (a lesson with `editor:` loads Monaco by design).
  const lessonPages = ['en', 'ko'].flatMap((lang) =>
    readdirSync(join(siteDir, lang, 'lessons'), { withFileTypes: true })
      .filter((d) => d.isDirectory() && !readFileSync(join(siteDir, lang, 'lessons', d.name, 'index.html'), 'utf8').includes('<ll-editor'))
      .map((d) => `/${lang}/lessons/${d.name}/`),
  );
  const jsKb: Sample = { name: 'lesson page JS, gzipped (KB)', times: [] };
  let heaviest = { page: '', kb: 0 };
  for (const path of lessonPages) {
    const context = await browser.newContext();
    const page = await context.newPage();
    let bytes = 0;
    page.on('response', async (res) => {
      if (res.request().resourceType() === 'script') bytes += gzipSync(await res.body().catch(() => Buffer.alloc(0))).length;
    });
    await page.goto(`${site}${path}`);
    await page.waitForFunction(() => !document.querySelector('ll-terminal input')?.hasAttribute('disabled'), undefined, { timeout: 30_000 });
    await page.waitForLoadState('networkidle');
    const kb = bytes / 1024;
    jsKb.times.push(kb);
    if (kb > heaviest.kb) heaviest = { page: path, kb };
    await context.close();
  }

  // Opening the editor, cold (a fresh context: nothing cached).
  const open: Sample = { name: 'open the editor, cold (Monaco + Dockerfile language)', times: [] };
  const fromNavigation: Sample = { name: 'playground load to editor ready', times: [] };
  for (let i = 0; i < 6; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${site}/en/playground/`);
    await page.waitForSelector('ll-editor[data-ready]', { timeout: 30_000 });
    const [load, ready] = await page.evaluate(() => ['ll-editor-load', 'll-editor-ready'].map((n) => performance.getEntriesByName(n)[0]!.startTime));
    // The first run warms the server's file cache and Chromium's code cache for its own files.
    if (i > 0) {
      open.times.push(ready! - load!);
      fromNavigation.times.push(ready!);
    }
    await context.close();
  }

  const kbFmt = (kb: number) => `${kb.toFixed(1)} KB`;
  const ok = report(
    'Editor (Chromium)',
    [open, fromNavigation],
    [
      {
        what: `heaviest lesson page JS, gzipped (${heaviest.page}, of ${lessonPages.length})`,
        measured: kbFmt(heaviest.kb),
        target: '< 250 KB',
        ok: heaviest.kb < 250 && jsKb.times.length > 0,
      },
      { what: 'opening the editor, median', measured: fmtMs(median(open.times)), target: '< 1.5 s', ok: median(open.times) < 1500 },
      { what: 'opening the editor, p95', measured: fmtMs(quantile(open.times, 0.95)), target: '(printed)', ok: true },
    ],
  );
  process.exitCode = ok ? 0 : 1;
} finally {
  await browser.close();
  server.stop();
}
