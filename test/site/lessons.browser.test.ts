import { describe, expect, inject, it } from 'vitest';
import { axeViolations } from '../support/axe.js';
import { useBrowser, collectErrors } from '../support/browser.js';
import { missingBrowserPrereqs, requirePrereqs } from '../support/prereqs.js';

const run = requirePrereqs('browser', missingBrowserPrereqs());

const progressFile = (lessons: Record<string, string[]>) =>
  JSON.stringify({
    format: 'layerlab-progress',
    version: 1,
    lessons: Object.fromEntries(Object.entries(lessons).map(([id, steps]) => [id, { completedSteps: steps, updatedAt: '2025-01-01T00:00:00.000Z' }])),
  });

describe.skipIf(!run)('lesson pages', () => {
  const browser = useBrowser();
  const site = inject('siteUrl');

  it('the home page starts the first lesson in one click', async () => {
    const page = await browser().newPage();
    const errors = collectErrors(page);
    await page.goto(`${site}/ko/`);
    await page.click('a.start');
    await page.waitForURL(`${site}/ko/lessons/01-what-is-docker/`);
    expect(await page.textContent('h1')).toBe('도커란 무엇인가요?');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the lesson index lists lessons in order with the progress kept in the browser', async () => {
    const page = await browser().newPage();
    const errors = collectErrors(page);
    await page.goto(`${site}/en/lessons/`);
    const titles = await page.locator('ol.lessons > li > a').allTextContents();
    expect(titles[0]).toBe('What is Docker?');
    expect(titles).toContain('Containers');
    await page.evaluate((file) => localStorage.setItem('layerlab.progress', file), progressFile({ '06-containers': ['run-web', 'write-file'] }));
    await page.reload();
    await expect.poll(() => page.locator('ll-lesson-progress[data-lesson-id="06-containers"]').textContent()).toContain('2 of 5 steps done');
    expect(await page.locator('ll-lesson-progress[data-lesson-id="01-what-is-docker"]').textContent()).toContain('0 of 3 steps done');
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('imports a progress file, and refuses one that is not', async () => {
    const page = await browser().newPage();
    await page.goto(`${site}/ko/lessons/`);
    const input = page.locator('ll-progress-file input[type="file"]');
    await input.setInputFiles({
      name: 'p.json',
      mimeType: 'application/json',
      buffer: Buffer.from(progressFile({ '01-what-is-docker': ['hello'] })),
    });
    await expect.poll(() => page.textContent('ll-progress-file [role="status"]')).toBe('진행 상황을 가져왔어요.');
    expect(await page.locator('ll-lesson-progress[data-lesson-id="01-what-is-docker"]').textContent()).toContain('3단계 중 1단계 완료');
    await input.setInputFiles({ name: 'x.json', mimeType: 'application/json', buffer: Buffer.from('{"lessons":1}') });
    await expect.poll(() => page.textContent('ll-progress-file [role="status"]')).toBe('이 파일은 Layerlab 진행 상황 파일이 아니에요.');
    const download = page.waitForEvent('download');
    await page.click('ll-progress-file [data-export]');
    const file = await download;
    expect(file.suggestedFilename()).toBe('layerlab-progress.json');
    await page.close();
  });

  it('a lesson page shows its steps, the current one marked, and which backend runs and why', async () => {
    const page = await browser().newPage();
    const errors = collectErrors(page);
    await page.goto(`${site}/en/lessons/06-containers/`);
    expect(await page.locator('[data-step-item] a').allTextContents()).toEqual([
      'Run a container in the background',
      'Write a file into the container layer',
      'Stopped, the layer stays',
      'Start it again',
      'One image, many containers',
    ]);
    await expect.poll(() => page.getAttribute('[data-step-item="run-web"]', 'aria-current')).toBe('step');
    expect(await page.getAttribute('section[data-step-id="run-web"]', 'aria-current')).toBe('step');
    expect(await page.textContent('[data-progress]')).toBe('Step 1 of 5');
    await expect.poll(() => page.textContent('ll-backend-badge')).toContain('Simulator');
    expect(await page.textContent('ll-backend-badge')).toContain('LAYERLAB_SANDBOX=off');
    // Saved progress picks the step up where the learner left it, in either language.
    await page.evaluate((file) => localStorage.setItem('layerlab.progress', file), progressFile({ '06-containers': ['run-web'] }));
    await page.goto(`${site}/ko/lessons/06-containers/`);
    await expect.poll(() => page.getAttribute('[data-step-item="write-file"]', 'aria-current')).toBe('step');
    // The server says why by code; the Korean page words it in Korean, not in the server's English.
    await expect.poll(() => page.textContent('ll-backend-badge')).toContain('시뮬레이터');
    expect(await page.textContent('ll-backend-badge')).toBe(
      '시뮬레이터: 서버에서 실제 컨테이너를 쓸 수 없어서 브라우저 안에서 실행해요. 이유: 샌드박스가 꺼져 있어요 (LAYERLAB_SANDBOX=off)',
    );
    expect(await page.locator('[data-step-item="run-web"][data-done]').count()).toBe(1);
    expect(await page.isVisible('[data-step-panel="write-file"]')).toBe(true);
    expect(await page.isVisible('[data-step-panel="run-web"]')).toBe(false);
    expect(await page.isVisible('[data-catch-up]')).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('is usable by keyboard and screen reader: labels, a log region, no axe violations', async () => {
    const page = await browser().newPage();
    await page.goto(`${site}/ko/lessons/01-what-is-docker/`);
    expect(await page.getAttribute('ll-terminal [data-output]', 'role')).toBe('log');
    expect(await page.getAttribute('ll-terminal input', 'aria-label')).toBe('docker 명령 입력');
    expect(await page.getAttribute('.runnable button', 'aria-label')).toBe('실행: docker run busybox echo hello');
    // The skip link is the first stop, and it lands on the lesson.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.className)).toContain('skip');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    await page.focus('[data-step-panel="hello"] summary >> nth=0');
    await page.keyboard.press('Enter');
    expect(await page.isVisible('[data-step-panel="hello"] details p')).toBe(true);
    expect(await page.textContent('[data-step-panel="hello"] details p')).toContain('docker run');
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it('lesson 11 has no axe violations, best practices too, once a container is chosen in the picture', async () => {
    const page = await browser().newPage();
    const errors = collectErrors(page);
    await page.goto(`${site}/en/lessons/11-under-the-hood/`);
    await expect.poll(() => page.isEnabled('ll-terminal input'), { timeout: 30_000 }).toBe(true);
    expect(await axeViolations(page, 'minor', { bestPractice: true })).toEqual([]);
    await page.fill('ll-terminal input', 'docker run -d --name box busybox sleep 3600');
    await page.press('ll-terminal input', 'Enter');
    const box = page.locator('ll-picture g.layer-graph__container', { hasText: 'box' });
    await expect.poll(() => box.count(), { timeout: 10_000 }).toBe(1);
    await box.click();
    // Chosen: its files and the hood panel show (the files' scroll box is the landmark axe checks).
    await expect.poll(() => page.isVisible('ll-picture [data-tree]'), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => page.isVisible('ll-picture [data-hood-body]'), { timeout: 10_000 }).toBe(true);
    expect(await axeViolations(page, 'minor', { bestPractice: true })).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the theme toggle switches light/dark, is remembered, and starts from the system preference', async () => {
    const context = await browser().newContext({ colorScheme: 'dark' });
    const page = await context.newPage();
    await page.goto(`${site}/en/lessons/`);
    const toggle = page.locator('ll-theme-toggle button');
    await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe('true');
    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    expect(await page.getAttribute('html', 'data-theme')).toBe('light');
    const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(await bg()).toBe('rgb(255, 255, 255)');
    await page.reload();
    expect(await page.getAttribute('html', 'data-theme')).toBe('light');
    expect(await bg()).toBe('rgb(255, 255, 255)');
    await toggle.click();
    expect(await bg()).toBe('rgb(15, 19, 24)');
    await context.close();
  });

  it('fits a phone: no sideways scroll, thumb-sized run buttons', async () => {
    const context = await browser().newContext({ viewport: { width: 375, height: 740 }, hasTouch: true, isMobile: true });
    const page = await context.newPage();
    await page.goto(`${site}/ko/lessons/06-containers/`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    const box = await page.locator('.runnable button').first().boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(44);
    expect(box!.width).toBeGreaterThanOrEqual(44);
    await context.close();
  });
});
