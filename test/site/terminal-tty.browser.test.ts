import { describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations } from '../support/axe.js';
import { collectErrors, useBrowser } from '../support/browser.js';
import { missingBrowserPrereqs, missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';
import { useSandboxSite } from '../support/site-server.js';

/** A line typed at the page's `docker …` prompt. */
async function command(page: Page, text: string): Promise<void> {
  await page.fill('ll-terminal input', text);
  await page.press('ll-terminal input', 'Enter');
}

/** Keys typed into the container's terminal (its emulator has the focus while a `-t` session runs). */
async function keys(page: Page, text: string): Promise<void> {
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/** What the emulator's screen shows now, row by row, trailing blanks (the prompt's too) and empty rows dropped. */
const screen = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('ll-terminal [data-tty] [data-screen] > div')]
      .map((row) => (row.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd())
      .join('\n')
      .replace(/\n+$/, ''),
  );

const focusInScreen = (page: Page) => page.evaluate(() => !!document.activeElement?.closest('ll-terminal [data-tty]'));

/** The name the running test gives its container, so its exit status can be asked for afterwards. */
let serial = 0;

/**
 * `docker run -it busybox sh` typed into a lesson's terminal: one learner's session, the
 * same on either backend — busybox's banner, each typed line shown once (the pty's echo,
 * not the page's), ^C ends the running `sleep` and not the shell, ^C at the prompt leaves
 * `$?` at 130 and a bare `exit` returns it, and the session's text stays in the log.
 */
async function shellSession(browser: Browser, site: string, onLinux: boolean): Promise<void> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const errors = collectErrors(page);
  await page.goto(`${site}/en/lessons/06-containers/`);
  await expect.poll(() => page.isEnabled('ll-terminal input'), { timeout: 30_000 }).toBe(true);
  const name = `it${++serial}`;
  await command(page, `docker run -it --name ${name} busybox sh`);
  await expect.poll(() => screen(page), { timeout: 30_000 }).toMatch(/BusyBox v1\.\d+\.\d+ [^]*built-in commands[^]*\/ #$/);
  // The keys go to the container's terminal at once, without a click.
  expect(await focusInScreen(page)).toBe(true);
  await keys(page, 'echo hi');
  await expect.poll(() => screen(page)).toMatch(/\/ # echo hi\nhi\n\/ #$/);
  if (onLinux) {
    const size = async () => {
      await keys(page, 'stty size');
      await expect.poll(() => screen(page)).toMatch(/stty size\n\d+ \d+\n\/ #$/);
      const [, rows, cols] = /(\d+) (\d+)\n\/ #$/.exec(await screen(page))!;
      return { rows: Number(rows), cols: Number(cols) };
    };
    const wide = await size();
    // The screen is 45% of the window's height (405 px here) and over 500 px wide.
    expect(wide.rows).toBeGreaterThan(15);
    expect(wide.cols).toBeGreaterThan(40);
    // A narrower window: the emulator fits itself to a new size, and the container's pty follows.
    await page.setViewportSize({ width: 500, height: 900 });
    await expect.poll(async () => (await size()).cols, { timeout: 10_000 }).toBeLessThan(wide.cols);
  }
  await keys(page, 'sleep 100');
  await expect.poll(() => screen(page)).toMatch(/sleep 100$/);
  await page.waitForTimeout(300);
  await page.keyboard.press('Control+c');
  await expect.poll(() => screen(page), { timeout: 5_000 }).toMatch(/sleep 100\n\^C\n\/ #$/);
  // ^C at the prompt: the half-typed line is dropped and the shell prompts again.
  await page.keyboard.type('echo never');
  await page.keyboard.press('Control+c');
  await expect.poll(() => screen(page)).toMatch(/\/ # echo never\^C\n\/ #$/);
  await keys(page, 'exit');
  // The terminal is the shell's until the command has ended; then a line is a command again.
  await expect.poll(() => page.textContent('ll-terminal [data-status]'), { timeout: 10_000 }).toBe('');
  expect(await page.isHidden('ll-terminal [data-tty]')).toBe(true);
  expect(await page.evaluate(() => document.activeElement?.matches('ll-terminal input'))).toBe(true);
  await command(page, `docker inspect -f '{{.State.ExitCode}}' ${name}`);
  await expect.poll(() => page.locator('ll-terminal [data-output] pre.out').last().textContent(), { timeout: 30_000 }).toBe('130\n');
  // The session's screen stays in the log as text, each line once, its control sequences obeyed, never shown.
  const shown = (await page.textContent('ll-terminal [data-output]'))!;
  expect(shown).toContain('/ # echo hi\nhi\n');
  expect(shown.split('echo hi').length - 1).toBe(1);
  expect([shown.includes('\u001b'), shown.includes('\r')]).toEqual([false, false]);
  expect(errors).toEqual([]);
  await page.close();
}

describe.skipIf(!requirePrereqs('browser', missingBrowserPrereqs()))('docker run -it in the lesson terminal, on the simulator', () => {
  const browser = useBrowser();
  it(
    'is a pty session on the terminal emulator: banner, one echo, ^C to the foreground job or the prompt, exit status 130',
    { timeout: 90_000 },
    async () => {
      await shellSession(browser(), inject('siteUrl'), false);
    },
  );

  it('loads the terminal emulator only for -it, takes Korean typed through an IME, and Escape then Tab leaves it', { timeout: 60_000 }, async () => {
    const page = await browser().newPage();
    const errors = collectErrors(page);
    const scripts: string[] = [];
    page.on('request', (req) => req.resourceType() === 'script' && scripts.push(req.url()));
    await page.goto(`${inject('siteUrl')}/ko/lessons/06-containers/`);
    await expect.poll(() => page.isEnabled('ll-terminal input'), { timeout: 30_000 }).toBe(true);
    await page.waitForLoadState('networkidle');
    // The lesson page's budget holds: the emulator is its own chunk, fetched when a -t session starts.
    const emulator = (url: string) => /\/tty-view[.-][^/]*\.js$/.test(url);
    expect(scripts.filter(emulator)).toEqual([]);
    await command(page, 'docker run -it --rm busybox sh');
    await expect.poll(() => screen(page), { timeout: 30_000 }).toMatch(/\/ #$/);
    expect(scripts.filter(emulator)).toHaveLength(1);
    await page.keyboard.type('echo ');
    // An IME composes 한 from ㅎ, 하 and 한, then commits it; only the committed text is input.
    const cdp = await page.context().newCDPSession(page);
    for (const syllable of ['한', '글']) {
      for (const step of syllable === '한' ? ['ㅎ', '하', '한'] : ['ㄱ', '그', '글'])
        await cdp.send('Input.imeSetComposition', { text: step, selectionStart: 1, selectionEnd: 1 });
      await cdp.send('Input.insertText', { text: syllable });
    }
    await page.keyboard.press('Enter');
    await expect.poll(() => screen(page)).toMatch(/\/ # echo 한글\n한글\n\/ #$/);
    // The emulator (its rows, its labelled input and its live region) leaves the page axe-clean.
    expect(await axeViolations(page)).toEqual([]);
    // No keyboard trap: Tab is the shell's, so Escape then Tab moves the focus on.
    expect(await focusInScreen(page)).toBe(true);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    expect(await focusInScreen(page)).toBe(false);
    // And Shift-Tab from the prompt comes back to it.
    await page.keyboard.press('Shift+Tab');
    expect(await focusInScreen(page)).toBe(true);
    await keys(page, 'exit');
    await expect.poll(() => page.isHidden('ll-terminal [data-tty]'), { timeout: 10_000 }).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe.skipIf(!requirePrereqs('browser + linux', [...missingBrowserPrereqs(), ...missingLinuxPrereqs()]))(
  'docker run -it in the lesson terminal, on the sandbox (root)',
  () => {
    const browser = useBrowser();
    const server = useSandboxSite('layerlab-tty-browser-');
    it("is the same session on runc, and `stty size` follows the terminal's size", { timeout: 120_000 }, async () => {
      await shellSession(browser(), server.url, true);
    });

    it('runs full-screen programs: vi edits and saves a file, top draws and q quits, less pages', { timeout: 120_000 }, async () => {
      const page = await browser().newPage({ viewport: { width: 1200, height: 900 } });
      const errors = collectErrors(page);
      await page.goto(`${server.url}/en/lessons/06-containers/`);
      await expect.poll(() => page.isEnabled('ll-terminal input'), { timeout: 30_000 }).toBe(true);
      await command(page, 'docker run -it --rm busybox sh');
      await expect.poll(() => screen(page), { timeout: 30_000 }).toMatch(/\/ #$/);
      await keys(page, 'vi /tmp/f');
      // vi takes the whole screen: its empty lines are drawn as `~`, the shell's lines are gone.
      await expect.poll(() => screen(page), { timeout: 10_000 }).toMatch(/^~\n~\n/m);
      expect(await screen(page)).not.toContain('/ # vi /tmp/f');
      await page.keyboard.type('ihello from vi');
      await page.keyboard.press('Escape');
      await expect.poll(() => screen(page)).toMatch(/^hello from vi$/m);
      // Escape then Tab leaves the terminal (vi has had its Escape); Shift-Tab comes back.
      await page.keyboard.press('Tab');
      expect(await focusInScreen(page)).toBe(false);
      await page.keyboard.press('Shift+Tab');
      expect(await focusInScreen(page)).toBe(true);
      await keys(page, ':wq');
      await expect.poll(() => screen(page), { timeout: 10_000 }).toMatch(/\/ #$/);
      await keys(page, 'cat /tmp/f');
      await expect.poll(() => screen(page)).toMatch(/cat \/tmp\/f\nhello from vi\n\/ #$/);
      await keys(page, 'top');
      await expect.poll(() => screen(page), { timeout: 10_000 }).toMatch(/PID +PPID +USER +STAT +VSZ/);
      expect(await screen(page)).toMatch(/^Mem: /m);
      await page.keyboard.press('q');
      await expect.poll(() => screen(page), { timeout: 10_000 }).toMatch(/\/ #$/);
      // less pages: a screenful from the top, the next one on space, its prompt at the bottom, q back.
      await keys(page, 'seq 1 500 > /tmp/n; less /tmp/n');
      await expect.poll(() => screen(page), { timeout: 10_000 }).toMatch(/^1\n2\n3\n/);
      expect(await screen(page)).not.toMatch(/^500$/m);
      await page.keyboard.press('Space');
      await expect.poll(() => screen(page), { timeout: 10_000 }).not.toMatch(/^1\n2\n3\n/);
      await page.keyboard.press('q');
      await expect.poll(() => screen(page), { timeout: 10_000 }).toMatch(/\/ #$/);
      await keys(page, 'exit');
      await expect.poll(() => page.isHidden('ll-terminal [data-tty]'), { timeout: 10_000 }).toBe(true);
      expect(errors).toEqual([]);
      await page.close();
    });
  },
);
