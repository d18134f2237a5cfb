// Issue 18: the terminal emulator (src/client/vt/, xterm.js before issue 15) is loaded only when a `-it` session starts, so a lesson page's load
// stays under 250 KB of gzipped JavaScript. Measures, in Debian's Chromium against the built
// site (LAYERLAB_SITE_DIR, default dist), what a lesson page loads and what `docker run -it`
// then adds. Before/after: run it on a build of each tree.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchBrowser } from '../test/support/browser.js';
import { report } from './harness.js';
import { startSiteChild } from './site-child.js';

const siteDir = resolve(process.env.LAYERLAB_SITE_DIR ?? 'dist');
if (!existsSync(join(siteDir, 'index.html'))) throw new Error(`no built site in ${siteDir}: run \`npx astro build\``);
const server = await startSiteChild(siteDir);
const browser = await launchBrowser();
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

try {
  const path = '/en/lessons/06-containers/';
  if (!readFileSync(join(siteDir, 'en/lessons/06-containers/index.html'), 'utf8').includes('<ll-terminal'))
    throw new Error(`${path} has no terminal`);
  const page = await browser.newPage();
  const bytes = { script: 0, stylesheet: 0 };
  // Each body is read asynchronously: every count is awaited before a figure is taken.
  const counted: Promise<void>[] = [];
  const settled = async () => {
    for (let seen = -1; seen !== counted.length;) {
      seen = counted.length;
      await Promise.all(counted);
    }
  };
  page.on('response', (res) => {
    const type = res.request().resourceType();
    if (type === 'script' || type === 'stylesheet')
      counted.push(
        res
          .body()
          .catch(() => Buffer.alloc(0))
          .then((body) => void (bytes[type] += gzipSync(body).length)),
      );
  });
  await page.goto(`${server.url}${path}`);
  await page.waitForFunction(() => !document.querySelector('ll-terminal input')?.hasAttribute('disabled'), undefined, { timeout: 60_000 });
  await page.waitForLoadState('networkidle');
  await settled();
  const load = { ...bytes };
  await page.fill('ll-terminal input', 'docker run -it --rm busybox sh');
  await page.press('ll-terminal input', 'Enter');
  // A tree before issue 18 has no emulator to wait for: its shell's prompt is the sign.
  await page.waitForFunction(
    () =>
      !!document.querySelector('ll-terminal .xterm, ll-terminal [data-screen]') ||
      /\/ # $/.test(document.querySelector('ll-terminal [data-output]')?.textContent ?? ''),
    undefined,
    {
      timeout: 60_000,
    },
  );
  await page.waitForLoadState('networkidle');
  await settled();
  const ok = report(
    'Terminal JavaScript (Chromium)',
    [],
    [
      {
        what: `lesson page load, JS gzipped (${path})`,
        measured: kb(load.script),
        target: '< 250 KB',
        ok: load.script > 0 && load.script < 250 * 1024,
      },
      { what: 'lesson page load, CSS gzipped', measured: kb(load.stylesheet), target: '(printed)', ok: true },
      {
        what: '`docker run -it` starts: JS fetched then (the terminal emulator)',
        measured: kb(bytes.script - load.script),
        target: '(printed)',
        ok: true,
      },
    ],
  );
  process.exitCode = ok ? 0 : 1;
} finally {
  await browser.close();
  server.stop();
}
