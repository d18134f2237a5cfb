import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations } from '../support/axe.js';
import { collectErrors, useBrowser } from '../support/browser.js';
import { missingBrowserPrereqs, requirePrereqs } from '../support/prereqs.js';
import { useSandboxSite } from '../support/site-server.js';

const run = requirePrereqs('browser', missingBrowserPrereqs());

/** Names and commands a learner could send to break a page that wrote them as HTML. */
const HOSTILE_NAME = '<img src=x onerror="window.__pwned=1">Mallory';
const HOSTILE_COMMAND = 'docker run busybox echo "<script>window.__pwned=2</script><b>bold</b>"';

interface Created {
  workshop: { id: string; title: string; joinCode: string };
  instructorSecret: string;
  instructorLink: string;
}
interface Joined {
  learner: { id: string };
  resumeToken: string;
}

/** The instructor and the learners, as scripted clients of the server's API. */
function workshopApi(site: () => string) {
  const call = async (path: string, init: { method?: string; body?: object; secret?: string; token?: string } = {}) => {
    const headers: Record<string, string> = {};
    if (init.body) headers['content-type'] = 'application/json';
    if (init.secret) headers['x-instructor-secret'] = init.secret;
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    const response = await fetch(`${site()}/api${path}`, {
      method: init.method ?? (init.body ? 'POST' : 'GET'),
      headers,
      body: init.body ? JSON.stringify(init.body) : undefined,
    });
    return { status: response.status, body: response.status === 204 ? null : ((await response.json()) as Record<string, unknown>) };
  };
  return {
    call,
    async create(title: string, lessons = ['04-layers', '05-images']): Promise<Created> {
      const { status, body } = await call('/workshops', { body: { title, lessons, locale: 'en' } });
      expect(status).toBe(201);
      return body as unknown as Created;
    },
    async join(code: string, displayName: string): Promise<Joined> {
      const { status, body } = await call('/workshops/join', { body: { code, displayName } });
      expect(status).toBe(201);
      return body as unknown as Joined;
    },
    async report(workshopId: string, who: Joined, progress: { lesson: string; step: number; command?: string; exitCode?: number }) {
      const { status } = await call(`/workshops/${workshopId}/learners/${who.learner.id}/progress`, { body: progress, token: who.resumeToken });
      expect(status).toBe(200);
    },
  };
}

/** The dashboard opened from the instructor link, its table drawn. */
async function openDashboard(browser: Browser, site: string, lang: 'ko' | 'en', created: Created): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = collectErrors(page);
  await page.goto(`${site}/${lang}/workshop/dashboard/#workshop=${created.workshop.id}&secret=${created.instructorSecret}`);
  await page.waitForSelector('[data-board]:not([hidden])');
  return { page, errors };
}

const rowText = (page: Page, learnerId: string) => page.textContent(`tr[data-learner-id="${learnerId}"]`);

describe.skipIf(!run)('the workshop dashboard', () => {
  const browser = useBrowser();
  // A server of its own: workshops made here count against one address's creations, not the shared server's.
  const server = useSandboxSite('layerlab-dashboard-', () => ({ LAYERLAB_SANDBOX: 'off' }));
  const api = workshopApi(() => server.url);

  it('opens from the instructor link, drops the secret from the address bar and lists the class with hostile names as text', async () => {
    const created = await api.create('Docker 101 <i>morning</i>');
    const ada = await api.join(created.workshop.joinCode, 'Ada');
    const mallory = await api.join(created.workshop.joinCode, HOSTILE_NAME);
    await api.report(created.workshop.id, ada, { lesson: '05-images', step: 1 });
    await api.report(created.workshop.id, mallory, { lesson: '04-layers', step: 0, command: HOSTILE_COMMAND, exitCode: 1 });

    const { page, errors } = await openDashboard(browser(), server.url, 'en', created);
    expect(page.url()).toBe(`${server.url}/en/workshop/dashboard/`);
    expect(await page.evaluate(() => sessionStorage.getItem('layerlab.workshop.instructor'))).toContain(created.instructorSecret);
    expect(await page.textContent('h1')).toBe('Docker 101 <i>morning</i>');
    expect(await page.textContent('[data-join-code]')).toBe(created.workshop.joinCode);

    await page.waitForSelector(`tr[data-learner-id="${mallory.learner.id}"]`);
    expect(await page.textContent(`tr[data-learner-id="${mallory.learner.id}"] .learner-name`)).toBe(HOSTILE_NAME);
    expect(await page.textContent(`tr[data-learner-id="${mallory.learner.id}"] td[data-part="command"]`)).toBe(HOSTILE_COMMAND);
    expect(await page.locator('[data-rows] img, [data-rows] script, [data-rows] b, h1 i').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    // Lesson titles from the site's lessons, the step counted from one.
    expect(await rowText(page, ada.learner.id)).toMatch(/Images.* step 2 of \d+/);
    expect(await rowText(page, mallory.learner.id)).toContain('Simulator');

    // A reload keeps the dashboard (the secret is in this tab's storage), with no fragment to read.
    await page.reload();
    await page.waitForSelector(`tr[data-learner-id="${ada.learner.id}"]`);
    expect(page.url()).toBe(`${server.url}/en/workshop/dashboard/`);
    expect(errors.filter((e) => !/WebSocket/.test(e))).toEqual([]);
    await page.close();
  });

  it('sorts by any column and filters by text, by keyboard', async () => {
    const created = await api.create('Sorting');
    const names = ['Charlie', 'alice', 'Bob'];
    const joined = [];
    for (const name of names) joined.push(await api.join(created.workshop.joinCode, name));
    await api.report(created.workshop.id, joined[0]!, { lesson: '04-layers', step: 0, command: 'docker ps', exitCode: 0 });
    await api.report(created.workshop.id, joined[0]!, { lesson: '04-layers', step: 0, command: 'docker pss', exitCode: 1 });
    await api.report(created.workshop.id, joined[2]!, { lesson: '04-layers', step: 0, command: 'docker images', exitCode: 0 });

    const { page } = await openDashboard(browser(), server.url, 'en', created);
    await page.waitForSelector(`tr[data-learner-id="${joined[1]!.learner.id}"]`);
    const order = () => page.$$eval('[data-rows] tr:not([hidden]) .learner-name', (els) => els.map((e) => e.textContent));

    await page.focus('button[data-sort="name"]');
    await page.keyboard.press('Enter');
    await expect.poll(order).toEqual(['alice', 'Bob', 'Charlie']);
    expect(await page.getAttribute('th:has(> button[data-sort="name"])', 'aria-sort')).toBe('ascending');
    await page.keyboard.press('Enter');
    await expect.poll(order).toEqual(['Charlie', 'Bob', 'alice']);
    expect(await page.getAttribute('th:has(> button[data-sort="name"])', 'aria-sort')).toBe('descending');

    await page.click('button[data-sort="commands"]');
    await expect.poll(order).toEqual(['alice', 'Bob', 'Charlie']);
    await page.click('button[data-sort="failed"]');
    await page.click('button[data-sort="failed"]');
    await expect.poll(async () => (await order())[0]).toBe('Charlie');

    await page.fill('[data-filter-text]', 'IMAGES');
    await expect.poll(order).toEqual(['Bob']);
    await page.fill('[data-filter-text]', '');
    await expect.poll(async () => (await order()).length).toBe(3);
    expect(await page.textContent('[data-summary]')).toContain('3 learners');
    await page.close();
  });

  it('draws where the class is as a histogram of steps', async () => {
    const created = await api.create('Histogram');
    const a = await api.join(created.workshop.joinCode, 'A');
    const b = await api.join(created.workshop.joinCode, 'B');
    await api.join(created.workshop.joinCode, 'C');
    await api.report(created.workshop.id, a, { lesson: '05-images', step: 2 });
    await api.report(created.workshop.id, b, { lesson: '05-images', step: 2 });

    const { page } = await openDashboard(browser(), server.url, 'en', created);
    await expect.poll(() => page.getAttribute('[data-histogram] g[data-key="05-images/2"]', 'data-count')).toBe('2');
    expect(await page.getAttribute('[data-histogram] g[data-key="start"]', 'data-count')).toBe('1');
    expect(await page.getAttribute('[data-histogram] g[data-key="04-layers/0"]', 'data-count')).toBe('0');
    expect(await page.textContent('[data-histogram-summary]')).toMatch(/Images, step 3: 2/);
    await page.close();
  });

  it('pauses and resumes joining, revokes the instructor link and deletes the workshop once its title is typed', async () => {
    const created = await api.create('Controls');
    const { page } = await openDashboard(browser(), server.url, 'en', created);

    await page.click('[data-pause]');
    await expect.poll(() => page.getAttribute('[data-pause]', 'aria-pressed')).toBe('true');
    expect((await api.call('/workshops/join', { body: { code: created.workshop.joinCode, displayName: 'Late' } })).status).toBe(409);
    await page.click('[data-pause]');
    await expect.poll(() => page.getAttribute('[data-pause]', 'aria-pressed')).toBe('false');
    await api.join(created.workshop.joinCode, 'On time');

    // Revoke: confirmed in the dialog; the old secret stops working, the page carries on with the new one.
    await page.click('[data-revoke]');
    await page.click('dialog[open] [data-confirm-ok]');
    await page.waitForSelector('[data-new-link-box]:not([hidden])');
    const link = await page.inputValue('[data-new-link]');
    const secret = new URLSearchParams(new URL(link).hash.slice(1)).get('secret')!;
    expect(secret).not.toBe(created.instructorSecret);
    expect((await api.call(`/workshops/${created.workshop.id}/class`, { secret: created.instructorSecret })).status).toBe(403);
    expect((await api.call(`/workshops/${created.workshop.id}/class`, { secret })).status).toBe(200);
    expect(await page.evaluate(() => sessionStorage.getItem('layerlab.workshop.instructor'))).toContain(secret);

    // Delete: the confirm button waits for the exact title.
    await page.click('[data-delete]');
    await page.fill('dialog[open] [data-confirm-input]', 'Control');
    expect(await page.isDisabled('dialog[open] [data-confirm-ok]')).toBe(true);
    await page.fill('dialog[open] [data-confirm-input]', 'Controls');
    await page.click('dialog[open] [data-confirm-ok]');
    await page.waitForSelector('[data-board][hidden]', { state: 'attached' });
    expect((await api.call(`/workshops/${created.workshop.id}/class`, { secret })).status).toBe(404);
    await page.close();
  });

  it('closing asks first, and a cancelled dialog changes nothing', async () => {
    const created = await api.create('Closing');
    const { page } = await openDashboard(browser(), server.url, 'ko', created);
    await page.click('[data-close]');
    await page.keyboard.press('Escape');
    await page.waitForSelector('dialog[data-confirm]:not([open])', { state: 'attached' });
    const still = await api.call(`/workshops/${created.workshop.id}/class`, { secret: created.instructorSecret });
    expect((still.body!.workshop as { closedAt: number | null }).closedAt).toBeNull();
    await page.click('[data-close]');
    await page.click('dialog[open] [data-confirm-ok]');
    await expect.poll(() => page.textContent('[data-state]')).toBe('워크숍 종료');
    expect((await api.call('/workshops/join', { body: { code: created.workshop.joinCode, displayName: 'x' } })).status).toBe(410);
    await page.close();
  });

  it.each(['en', 'ko'] as const)('is axe-clean in %s, in normal and in large type, with a learner watched', async (lang) => {
    const created = await api.create(`Axe ${lang}`);
    const who = await api.join(created.workshop.joinCode, HOSTILE_NAME);
    await api.report(created.workshop.id, who, { lesson: '04-layers', step: 1, command: 'docker ps', exitCode: 0 });
    const { page } = await openDashboard(browser(), server.url, lang, created);
    await page.waitForSelector(`tr[data-learner-id="${who.learner.id}"]`);
    expect(await axeViolations(page)).toEqual([]);

    await page.click('[data-large-type]');
    expect(await page.getAttribute('html', 'data-large-type')).toBe('');
    const size = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.dash-table')!).fontSize));
    expect(size).toBeGreaterThan(20);
    await page.click(`tr[data-learner-id="${who.learner.id}"] .learner-name`);
    await page.waitForSelector('[data-learner-panel]:not([hidden])');
    expect(await page.textContent('[data-learner-title]')).toBe(HOSTILE_NAME);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });
});
