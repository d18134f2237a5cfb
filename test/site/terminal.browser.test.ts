import { gzipSync } from 'node:zlib';
import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowser, collectErrors } from '../support/browser.js';
import { missingBrowserPrereqs, requirePrereqs } from '../support/prereqs.js';

const run = requirePrereqs('browser', missingBrowserPrereqs());

async function typeCommand(page: Page, command: string): Promise<void> {
  await page.fill('ll-terminal input', command);
  await page.press('ll-terminal input', 'Enter');
}

const outputText = (page: Page) => page.textContent('ll-terminal [data-output]');

describe.skipIf(!run)('lesson terminal on the simulator', () => {
  const browser = useBrowser();
  const site = inject('siteUrl');

  it('runs typed commands, completes steps, keeps history and completes words', async () => {
    const page = await browser().newPage();
    const errors = collectErrors(page);
    await page.goto(`${site}/en/lessons/01-what-is-docker/`);
    await expect.poll(() => page.isEnabled('ll-terminal input'), { timeout: 20_000 }).toBe(true);
    await typeCommand(page, 'docker run busybox echo hello');
    await expect.poll(() => outputText(page)).toContain('hello');
    await expect.poll(() => page.locator('[data-step-item="hello"][data-done]').count()).toBe(1);
    expect(await page.getAttribute('[data-step-item="same-kernel"]', 'aria-current')).toBe('step');
    expect(await page.textContent('ll-lesson [data-announce]')).toContain('Step done: Run your first container');
    await page.press('ll-terminal input', 'ArrowUp');
    expect(await page.inputValue('ll-terminal input')).toBe('docker run busybox echo hello');
    await page.fill('ll-terminal input', 'docker ru');
    await page.press('ll-terminal input', 'Tab');
    await expect.poll(() => page.inputValue('ll-terminal input')).toBe('docker run ');
    await page.fill('ll-terminal input', 'docker run busy');
    await page.press('ll-terminal input', 'Tab');
    await expect.poll(() => page.inputValue('ll-terminal input')).toBe('docker run busybox');
    expect(errors).toEqual([]);
    await page.close();
  });

  it("explains a Docker error in the learner's language beside Docker's English", async () => {
    const page = await browser().newPage();
    await page.goto(`${site}/ko/lessons/06-containers/`);
    await expect.poll(() => page.isEnabled('ll-terminal input'), { timeout: 20_000 }).toBe(true);
    await typeCommand(page, 'docker rm nope');
    await expect.poll(() => page.textContent('ll-terminal .err')).toContain('No such container: nope');
    await expect.poll(() => page.textContent('ll-terminal .explain')).toContain('그런 이름이나 ID의 컨테이너가 없어요');
    await page.close();
  });

  it('Ctrl-C interrupts: what was queued is dropped, and the terminal goes on', async () => {
    const page = await browser().newPage();
    await page.goto(`${site}/en/lessons/06-containers/`);
    await expect.poll(() => page.isEnabled('ll-terminal input'), { timeout: 20_000 }).toBe(true);
    // Docker: `sleep` as PID 1 ignores the SIGINT the CLI forwards, so it runs its 2 s out.
    await page.evaluate(() =>
      document.dispatchEvent(new CustomEvent('ll-run', { detail: { commands: ['docker run busybox sleep 2', 'docker run busybox echo queued'] } })),
    );
    await expect.poll(() => outputText(page)).toContain('$ docker run busybox sleep 2');
    await page.press('ll-terminal input', 'Control+c');
    await expect.poll(() => outputText(page)).toContain('^C');
    await typeCommand(page, 'docker run busybox echo after');
    await expect.poll(() => outputText(page), { timeout: 10_000 }).toContain('after');
    expect(await outputText(page)).not.toContain('queued');
    // Idle, Ctrl-C drops the line being typed, as a shell does.
    await page.fill('ll-terminal input', 'docker ps');
    await page.press('ll-terminal input', 'Control+c');
    expect(await page.inputValue('ll-terminal input')).toBe('');
    await expect.poll(() => outputText(page)).toContain('$ docker ps^C');
    await page.close();
  });

  it('a phone learner finishes a lesson by tapping run on each solution', async () => {
    const context = await browser().newContext({ viewport: { width: 390, height: 800 }, hasTouch: true, isMobile: true });
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(`${site}/ko/lessons/06-containers/`);
    await expect.poll(() => page.isEnabled('ll-terminal input'), { timeout: 20_000 }).toBe(true);
    for (const id of ['run-web', 'write-file', 'stop', 'start-again', 'second']) {
      await page.tap(`section[data-step-id="${id}"] .runnable button >> nth=0`);
      await expect.poll(() => page.locator(`[data-step-item="${id}"][data-done]`).count(), { timeout: 15_000 }).toBe(1);
    }
    expect(await page.isVisible('[data-complete]')).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('`clear` and Ctrl-L empty the screen and keep the history', async () => {
    const page = await browser().newPage();
    await page.goto(`${site}/en/lessons/06-containers/`);
    await expect.poll(() => page.isEnabled('ll-terminal input'), { timeout: 20_000 }).toBe(true);
    await typeCommand(page, 'docker run busybox echo one');
    await expect.poll(() => outputText(page)).toContain('one');
    await typeCommand(page, 'clear');
    await expect.poll(() => outputText(page)).toBe('');
    await typeCommand(page, 'docker run busybox echo two');
    await expect.poll(() => outputText(page)).toContain('two');
    // Pressed again on each poll: the command's last output may land after a press (on a loaded machine it did, and
    // the screen then holds it, as a shell's screen holds what a command writes after Ctrl-L).
    await expect
      .poll(async () => {
        await page.press('ll-terminal input', 'Control+l');
        return outputText(page);
      })
      .toBe('');
    await page.press('ll-terminal input', 'ArrowUp');
    expect(await page.inputValue('ll-terminal input')).toBe('docker run busybox echo two');
    await page.close();
  });

  it("a code block's copy button beside Run puts its commands on the clipboard", async () => {
    const context = await browser().newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
    const page = await context.newPage();
    await page.goto(`${site}/ko/lessons/06-containers/`);
    await page.click('section[data-step-id="run-web"] .runnable .copy >> nth=0');
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('docker run -d --name web busybox sleep 3600');
    expect(await page.textContent('section[data-step-id="run-web"] .runnable .copy >> nth=0')).toContain('복사했어요');
    await context.close();
  });

  it('a lesson page loads less than 250 KB of gzipped JavaScript', async () => {
    const page = await browser().newPage();
    // Every script's size, awaited before the sum: a body still being read when the sum was
    // taken would be left out, and the budget would pass on a page over it.
    const sizes: Promise<number>[] = [];
    page.on('response', (res) => {
      if (res.request().resourceType() === 'script') sizes.push(res.body().then((body) => gzipSync(body).length));
    });
    await page.goto(`${site}/en/lessons/06-containers/`);
    await expect.poll(() => page.isEnabled('ll-terminal input'), { timeout: 20_000 }).toBe(true);
    await page.waitForLoadState('networkidle');
    const total = (await Promise.all(sizes)).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThan(250 * 1024);
    await page.close();
  });
});
