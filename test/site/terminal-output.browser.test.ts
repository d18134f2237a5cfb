import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { collectErrors, useBrowser } from '../support/browser.js';
import { missingBrowserPrereqs, missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';
import { useSandboxSite } from '../support/site-server.js';

async function typeCommand(page: Page, command: string): Promise<void> {
  await page.fill('ll-terminal input', command);
  await page.press('ll-terminal input', 'Enter');
}

/**
 * `seq 1 200000` in a lesson's terminal: the output ends with the cut note matching `note`,
 * what is shown is whole lines counting up, and once scrolled to the end its last line is
 * in view. Returns the last number shown and the note. (The time it takes is the
 * benchmark's: bench/terminal-output.bench.ts.)
 */
async function bigOutput(page: Page, note: RegExp): Promise<{ last: number; note: string }> {
  await expect.poll(() => page.isEnabled('ll-terminal input'), { timeout: 30_000 }).toBe(true);
  await typeCommand(page, 'docker run --rm busybox seq 1 200000');
  await expect.poll(() => page.textContent('ll-terminal .notice'), { timeout: 60_000 }).toMatch(note);
  expect(await page.textContent('ll-terminal [data-status]')).toBe('');
  const shown = (await page.locator('ll-terminal pre.out').allTextContents()).join('');
  // Whole lines only, every one of them, in order: 1, 2, 3, … up to the cut.
  expect(shown.endsWith('\n')).toBe(true);
  const lines = shown.trimEnd().split('\n').map(Number);
  expect(lines.every((n, i) => n === i + 1)).toBe(true);
  // The note is the output's end, and the learner scrolled to the end sees the last line.
  expect(await page.evaluate(() => document.querySelector('ll-terminal [data-output]')!.lastElementChild!.className)).toBe('notice');
  const inView = await page.evaluate(() => {
    const output = document.querySelector<HTMLElement>('ll-terminal [data-output]')!;
    output.scrollTop = output.scrollHeight;
    const last = [...output.querySelectorAll('pre.out')].at(-1)!;
    const range = document.createRange();
    range.setStart(last.lastChild!, Math.max(0, last.lastChild!.textContent!.length - 2));
    range.setEnd(last.lastChild!, last.lastChild!.textContent!.length - 1);
    const box = output.getBoundingClientRect();
    const line = range.getBoundingClientRect();
    return line.height > 0 && line.top >= box.top && line.bottom <= box.bottom;
  });
  expect(inView).toBe(true);
  return { last: lines.at(-1)!, note: (await page.textContent('ll-terminal .notice'))! };
}

describe.skipIf(!requirePrereqs('browser', missingBrowserPrereqs()))('a long output in the lesson terminal, on the simulator', () => {
  const browser = useBrowser();
  const site = inject('siteUrl');

  it('200,000 lines: cut at 512 KiB on a line boundary, with a note of every line not shown', { timeout: 120_000 }, async () => {
    const page = await browser().newPage({ viewport: { width: 1400, height: 900 } });
    const errors = collectErrors(page);
    await page.goto(`${site}/en/lessons/06-containers/`);
    const { last, note } = await bigOutput(page, /^Output cut here: [\d,]+ more lines \(\d+ KiB\)/);
    // The simulator has no cap of its own: shown and cut add up to all 200,000 lines.
    expect(last + Number(/([\d,]+) more lines/.exec(note)![1]!.replaceAll(',', ''))).toBe(200_000);
    expect(note).not.toContain('sandbox');
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe.skipIf(!requirePrereqs('browser + linux', [...missingBrowserPrereqs(), ...missingLinuxPrereqs()]))(
  'a long output in the lesson terminal, on the sandbox (root)',
  () => {
    const browser = useBrowser();
    const server = useSandboxSite('layerlab-output-browser-');

    it(
      "200,000 lines: the server's 1 MiB cap and the page's are said in the learner's language, and the output is whole lines",
      { timeout: 120_000 },
      async () => {
        const page = await browser().newPage({ viewport: { width: 1400, height: 900 } });
        const errors = collectErrors(page);
        await page.goto(`${server.url}/ko/lessons/06-containers/`);
        // The page's note (what it did not show), then the sandbox's (it stopped the command at its cap).
        const { last, note } = await bigOutput(page, /^출력을 여기서 잘랐어요: .* [\d,]+줄/);
        expect(note).toContain('샌드박스가 이 명령을 멈췄어요');
        expect(last).toBeLessThan(200_000);
        expect(errors).toEqual([]);
        await page.close();
      },
    );

    it("a build's progress on stderr is not painted as an error; a failed command's stderr is", { timeout: 120_000 }, async () => {
      const page = await browser().newPage();
      await page.goto(`${server.url}/en/lessons/08-build-cache/`);
      await expect.poll(() => page.isEnabled('ll-terminal input'), { timeout: 30_000 }).toBe(true);
      await typeCommand(page, 'docker build -t progress -f fast.Dockerfile v1');
      await expect.poll(() => page.textContent('ll-terminal pre.stderr'), { timeout: 60_000 }).toContain('naming to docker.io/library/progress');
      expect(await page.locator('ll-terminal pre.err').count()).toBe(0);
      await typeCommand(page, 'docker rm nope');
      await expect.poll(() => page.textContent('ll-terminal pre.err'), { timeout: 30_000 }).toContain('No such container: nope');
      await page.close();
    });
  },
);
