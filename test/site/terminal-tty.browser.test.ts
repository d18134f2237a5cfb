import { describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { collectErrors, useBrowser } from '../support/browser.js';
import { missingBrowserPrereqs, missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';
import { useSandboxSite } from '../support/site-server.js';

async function type(page: Page, text: string): Promise<void> {
  await page.fill('ll-terminal input', text);
  await page.press('ll-terminal input', 'Enter');
}

/** What the attached command has shown so far (its output area, after the `$ docker …` line). */
const screen = (page: Page) => page.evaluate(() => document.querySelector('ll-terminal [data-output] pre.out:last-of-type')?.textContent ?? '');

/**
 * `docker run -it busybox sh` typed into a lesson's terminal: one learner's session, the
 * same on either backend — each typed line shown once (the pty's echo, not the page's),
 * Ctrl-C ends the running `sleep` and leaves the shell, `exit 3` hands the terminal back.
 */
async function shellSession(browser: Browser, site: string, onLinux: boolean): Promise<void> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const errors = collectErrors(page);
  await page.goto(`${site}/en/lessons/06-containers/`);
  await expect.poll(() => page.isEnabled('ll-terminal input'), { timeout: 30_000 }).toBe(true);
  await type(page, 'docker run -it --rm busybox sh');
  await expect.poll(() => screen(page), { timeout: 30_000 }).toMatch(/\/ # $/);
  await type(page, 'echo hi');
  await expect.poll(() => screen(page)).toMatch(/\/ # echo hi\nhi\n\/ # $/);
  expect((await page.textContent('ll-terminal [data-output]'))!.split('echo hi').length - 1).toBe(1);
  if (onLinux) {
    const size = async () => {
      await type(page, 'stty size');
      await expect.poll(() => screen(page)).toMatch(/stty size\n\d+ \d+\n\/ # $/);
      const [, rows, cols] = /(\d+) (\d+)\n\/ # $/.exec(await screen(page))!;
      return { rows: Number(rows), cols: Number(cols) };
    };
    const wide = await size();
    // The output area shows up to 50vh of lines (450 px here) and is over 500 px wide.
    expect(wide.rows).toBeGreaterThan(15);
    expect(wide.cols).toBeGreaterThan(40);
    // A narrower window: the terminal says its new size, and the container's pty follows.
    await page.setViewportSize({ width: 500, height: 900 });
    await expect.poll(async () => (await size()).cols, { timeout: 10_000 }).toBeLessThan(wide.cols);
  }
  await type(page, 'sleep 100');
  await expect.poll(() => screen(page)).toMatch(/sleep 100\n$/);
  await page.waitForTimeout(300);
  await page.press('ll-terminal input', 'Control+c');
  await expect.poll(() => screen(page), { timeout: 5_000 }).toMatch(/sleep 100\n\^C\n\/ # $/);
  await type(page, 'exit 3');
  // The terminal is the shell's until the command has ended; then a line is a command again.
  await expect.poll(() => page.textContent('ll-terminal [data-status]'), { timeout: 10_000 }).toBe('');
  await type(page, 'docker ps -a');
  await expect.poll(() => page.textContent('ll-terminal [data-output]'), { timeout: 30_000 }).toContain('CONTAINER ID');
  // The shell's control sequences are obeyed or dropped, never shown.
  const shown = (await page.textContent('ll-terminal [data-output]'))!;
  expect([shown.includes('\u001b'), shown.includes('\r')]).toEqual([false, false]);
  expect(errors).toEqual([]);
  await page.close();
}

describe.skipIf(!requirePrereqs('browser', missingBrowserPrereqs()))('docker run -it in the lesson terminal, on the simulator', () => {
  const browser = useBrowser();
  it('is a pty session: one echo, ^C to the foreground job, exit hands the terminal back', { timeout: 90_000 }, async () => {
    await shellSession(browser(), inject('siteUrl'), false);
  });
});

describe.skipIf(!requirePrereqs('browser + linux', [...missingBrowserPrereqs(), ...missingLinuxPrereqs()]))(
  'docker run -it in the lesson terminal, on the sandbox (root)',
  () => {
    const browser = useBrowser();
    const server = useSandboxSite('layerlab-tty-browser-');
    it("is the same session on runc, and `stty size` follows the terminal's width", { timeout: 120_000 }, async () => {
      await shellSession(browser(), server.url, true);
    });
  },
);
