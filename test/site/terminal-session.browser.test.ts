import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { collectErrors, useBrowser } from '../support/browser.js';
import { missingBrowserPrereqs, missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';
import { startSiteServer, useSandboxSite } from '../support/site-server.js';

async function typeCommand(page: Page, command: string): Promise<void> {
  await page.fill('ll-terminal input', command);
  await page.press('ll-terminal input', 'Enter');
}

const outputText = async (page: Page) => (await page.textContent('ll-terminal [data-output]')) ?? '';

/** The sessions the page was given (POST /api/sessions answers), so a test can end one behind its back. */
function sessionsOf(page: Page): { id: string; token: string }[] {
  const sessions: { id: string; token: string }[] = [];
  page.on('response', async (res) => {
    if (res.request().method() === 'POST' && new URL(res.url()).pathname === '/api/sessions' && res.status() === 201)
      sessions.push((await res.json()) as { id: string; token: string });
  });
  return sessions;
}

describe.skipIf(!requirePrereqs('browser + linux', [...missingBrowserPrereqs(), ...missingLinuxPrereqs()]))(
  'a lesson whose sandbox session is gone, on the sandbox (root)',
  () => {
    const browser = useBrowser();
    const server = useSandboxSite('layerlab-heal-browser-');

    it('gets a new session, replays the earlier steps, says so, and runs the next command', { timeout: 120_000 }, async () => {
      const page = await browser().newPage();
      const errors = collectErrors(page);
      const sessions = sessionsOf(page);
      await page.goto(`${server.url}/ko/lessons/06-containers/`);
      await expect.poll(() => page.isEnabled('ll-terminal input'), { timeout: 30_000 }).toBe(true);
      await typeCommand(page, 'docker run -d --name web busybox sleep 3600');
      await expect.poll(() => page.locator('[data-step-item="run-web"][data-done]').count(), { timeout: 30_000 }).toBe(1);
      expect(sessions).toHaveLength(1);

      // As the idle timeout or a restart would: the server no longer has the page's session.
      const gone = await fetch(`${server.url}/api/sessions/${sessions[0]!.id}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${sessions[0]!.token}` },
      });
      expect(gone.status).toBe(204);

      await typeCommand(page, 'docker ps --format {{.Names}}');
      // Told in the learner's language, not a 404 in English…
      await expect.poll(() => page.textContent('ll-terminal .notice'), { timeout: 30_000 }).toContain('샌드박스 세션이 끝나 있었어요');
      // …the first step's command ran again on the new session, then the learner's command, which sees its container.
      await expect
        .poll(async () => (await outputText(page)).split('$ docker run -d --name web busybox sleep 3600').length - 1, { timeout: 30_000 })
        .toBe(2);
      await expect
        .poll(async () => (await outputText(page)).split('$ docker ps --format {{.Names}}').at(-1) ?? '', { timeout: 30_000 })
        .toMatch(/^\s*web\s*$/);
      expect(sessions).toHaveLength(2);
      expect(await outputText(page)).not.toContain('NO_SUCH_SESSION');
      // The picture follows: it draws the new session's container.
      await expect.poll(() => page.locator('ll-picture').textContent(), { timeout: 15_000 }).toContain('web');
      expect(await page.getAttribute('ll-backend-badge', 'data-backend')).toBe('linux');
      expect(errors).toEqual([]);
      await page.close();
    });

    it('a server that stops answering: a banner, and the simulator when the learner chooses it', { timeout: 150_000 }, async () => {
      const stateDir = mkdtempSync(join(tmpdir(), 'layerlab-unreachable-browser-'));
      const own = await startSiteServer({ LAYERLAB_STATE_DIR: stateDir });
      try {
        const page = await browser().newPage();
        await page.goto(`${own.url}/en/lessons/06-containers/`);
        await expect.poll(() => page.isEnabled('ll-terminal input'), { timeout: 30_000 }).toBe(true);
        await typeCommand(page, 'docker run -d --name web busybox sleep 3600');
        await expect.poll(() => page.locator('[data-step-item="run-web"][data-done]').count(), { timeout: 30_000 }).toBe(1);
        await own.stop();

        await typeCommand(page, 'docker ps --format {{.Names}}');
        await expect.poll(() => page.isVisible('ll-terminal [data-banner]'), { timeout: 30_000 }).toBe(true);
        expect(await page.textContent('ll-terminal [data-banner]')).toContain('The sandbox server does not answer');
        await page.click('ll-terminal [data-simulate]');
        await expect.poll(() => page.textContent('ll-terminal .notice'), { timeout: 30_000 }).toContain('Now running on the simulator');
        await expect.poll(() => page.getAttribute('ll-backend-badge', 'data-backend')).toBe('sim');
        expect(await page.isVisible('ll-terminal [data-banner]')).toBe(false);
        // The earlier step ran again in the simulator; "Try again"-free: the learner's next command just works.
        await typeCommand(page, 'docker ps --format {{.Names}}');
        await expect
          .poll(async () => (await outputText(page)).split('$ docker ps --format {{.Names}}').at(-1) ?? '', { timeout: 30_000 })
          .toMatch(/^\s*web\s*$/);
        await page.close();
      } finally {
        await own.stop();
        rmSync(stateDir, { recursive: true, force: true });
      }
    });
  },
);
