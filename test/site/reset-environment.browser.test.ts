import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { collectErrors, useBrowser } from '../support/browser.js';
import { missingBrowserPrereqs, missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';
import { useSandboxSite } from '../support/site-server.js';

async function typeCommand(page: Page, command: string): Promise<void> {
  await page.fill('ll-terminal input', command);
  await page.press('ll-terminal input', 'Enter');
}

/** What the last `$ command` printed. */
async function outputOf(page: Page, command: string): Promise<string> {
  const text = (await page.textContent('ll-terminal [data-output]')) ?? '';
  return text.split(`$ ${command}`).at(-1) ?? '';
}

const pictureContainers = (page: Page) => page.locator('ll-picture g.layer-graph__container:not(.is-exiting)');

const words = {
  en: { reset: 'Reset my environment', confirm: 'Reset', cancel: 'Cancel', done: 'A fresh environment has started' },
  ko: { reset: '내 환경 초기화', confirm: '초기화', cancel: '취소', done: '새 환경을 시작했어요' },
} as const;

/**
 * A container made (by the lesson's first step), then "Reset my environment": the dialog's
 * Cancel changes nothing; its Reset leaves a clean engine — `docker ps -a` lists nothing
 * and the picture draws no container — on the same backend, with the lesson's progress kept.
 */
async function resetsAfterAContainer(page: Page, url: string, lang: 'en' | 'ko', backend: 'linux' | 'sim'): Promise<void> {
  const w = words[lang];
  await page.goto(`${url}/${lang}/lessons/06-containers/`);
  await expect.poll(() => page.isEnabled('ll-terminal input'), { timeout: 30_000 }).toBe(true);
  await typeCommand(page, 'docker run -d --name web busybox sleep 3600');
  await expect.poll(() => page.locator('[data-step-item="run-web"][data-done]').count(), { timeout: 30_000 }).toBe(1);
  await expect.poll(() => pictureContainers(page).count(), { timeout: 15_000 }).toBe(1);

  const open = page.getByRole('button', { name: w.reset });
  await expect.poll(() => open.isEnabled()).toBe(true);
  await open.click();
  const dialog = page.getByRole('dialog');
  expect(await dialog.isVisible()).toBe(true);
  await dialog.getByRole('button', { name: w.cancel }).click();
  expect(await dialog.isVisible()).toBe(false);
  await typeCommand(page, 'docker ps -a --format {{.Names}}');
  await expect.poll(() => outputOf(page, 'docker ps -a --format {{.Names}}'), { timeout: 15_000 }).toMatch(/^\s*web\s*$/);

  await open.click();
  await dialog.getByRole('button', { name: w.confirm, exact: true }).click();
  await expect.poll(() => page.textContent('ll-terminal .notice'), { timeout: 30_000 }).toContain(w.done);
  await expect.poll(() => pictureContainers(page).count(), { timeout: 15_000 }).toBe(0);
  await typeCommand(page, 'docker ps -a');
  // Only the header: nothing was replayed, not even the lesson's finished step.
  await expect
    .poll(() => outputOf(page, 'docker ps -a'), { timeout: 15_000 })
    .toMatch(/^\s*CONTAINER ID +IMAGE +COMMAND +CREATED +STATUS +PORTS +NAMES\s*$/);
  expect(await page.locator('[data-step-item="run-web"][data-done]').count()).toBe(1);
  expect(await page.getAttribute('ll-backend-badge', 'data-backend')).toBe(backend);
}

describe.skipIf(!requirePrereqs('browser', missingBrowserPrereqs()))('"Reset my environment" on the simulator', () => {
  const browser = useBrowser();
  const site = inject('siteUrl');

  it('in a lesson: a fresh engine, nothing replayed, the picture empty', { timeout: 90_000 }, async () => {
    const page = await browser().newPage();
    const errors = collectErrors(page);
    await resetsAfterAContainer(page, site, 'en', 'sim');
    expect(errors).toEqual([]);
    await page.close();
  });

  it(
    'in the playground: the containers and the link’s commands are gone, the editor’s files stay in the build context',
    { timeout: 90_000 },
    async () => {
      const page = await browser().newPage();
      const errors = collectErrors(page);
      await page.goto(`${site}/en/playground/`);
      await expect.poll(() => page.isEnabled('ll-terminal input'), { timeout: 30_000 }).toBe(true);
      await typeCommand(page, 'docker create --name scratch busybox');
      await expect.poll(() => pictureContainers(page).count(), { timeout: 15_000 }).toBe(1);
      await expect.poll(() => page.evaluate(() => location.hash.length), { timeout: 10_000 }).toBeGreaterThan(1);
      await page.getByRole('button', { name: 'Reset my environment' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Reset', exact: true }).click();
      await expect.poll(() => pictureContainers(page).count(), { timeout: 15_000 }).toBe(0);
      await typeCommand(page, 'docker ps -a --format {{.Names}}');
      await expect.poll(() => page.textContent('ll-terminal [data-output]'), { timeout: 15_000 }).toContain('$ docker ps -a --format {{.Names}}');
      await expect.poll(() => page.locator('ll-terminal [data-status]').textContent()).toBe('');
      expect((await outputOf(page, 'docker ps -a --format {{.Names}}')).trim()).toBe('');
      // The build context still holds the editor's Dockerfile: a build works at once.
      await typeCommand(page, 'docker build -t again .');
      await expect.poll(() => page.textContent('ll-terminal [data-output]'), { timeout: 30_000 }).toContain('naming to docker.io/library/again');
      expect(errors).toEqual([]);
      await page.close();
    },
  );
});

describe.skipIf(!requirePrereqs('browser + linux', [...missingBrowserPrereqs(), ...missingLinuxPrereqs()]))(
  '"Reset my environment" on the sandbox (root)',
  () => {
    const browser = useBrowser();
    const server = useSandboxSite('layerlab-reset-browser-');

    it('in a lesson: a new session, the old one deleted, nothing replayed, the picture empty', { timeout: 120_000 }, async () => {
      const page = await browser().newPage();
      const errors = collectErrors(page);
      const sessions: { id: string; token: string }[] = [];
      page.on('response', async (res) => {
        if (res.request().method() === 'POST' && new URL(res.url()).pathname === '/api/sessions' && res.status() === 201)
          sessions.push((await res.json()) as { id: string; token: string });
      });
      await resetsAfterAContainer(page, server.url, 'ko', 'linux');
      expect(sessions).toHaveLength(2);
      // The old session (and its container) is reclaimed at once, not at its idle timeout.
      await expect
        .poll(
          async () =>
            (await fetch(`${server.url}/api/sessions/${sessions[0]!.id}/state`, { headers: { authorization: `Bearer ${sessions[0]!.token}` } }))
              .status,
          {
            timeout: 15_000,
          },
        )
        .toBe(404);
      expect(errors).toEqual([]);
      await page.close();
    });
  },
);
