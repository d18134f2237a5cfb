import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Browser, Page } from 'playwright-core';
import { createSimEngine } from '../../src/sim/create-sim-engine.js';
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

    // Image sharing: the registry's class namespace, off until the instructor opens it, and closed again.
    const shared = async () =>
      (
        (await api.call(`/workshops/${created.workshop.id}/class`, { secret: created.instructorSecret })).body!.workshop as {
          sharedRegistry: boolean;
        }
      ).sharedRegistry;
    expect(await page.getAttribute('[data-shared-registry]', 'aria-pressed')).toBe('false');
    expect(await shared()).toBe(false);
    await page.click('[data-shared-registry]');
    await expect.poll(() => page.getAttribute('[data-shared-registry]', 'aria-pressed')).toBe('true');
    expect(await shared()).toBe(true);
    expect(await page.textContent('[data-notice]')).toContain('localhost:5000/class/<their handle>/');
    await page.click('[data-shared-registry]');
    await expect.poll(() => page.getAttribute('[data-shared-registry]', 'aria-pressed')).toBe('false');
    expect(await shared()).toBe(false);

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

describe.skipIf(!run)('the workshop dashboard acting on the class', () => {
  const browser = useBrowser();
  const server = useSandboxSite('layerlab-dashboard-act-', () => ({ LAYERLAB_SANDBOX: 'off' }));
  const api = workshopApi(() => server.url);

  it("exports the class as CSV with the secret header, each learner's row in it and formula-looking cells defused", async () => {
    const created = await api.create('Export');
    const ada = await api.join(created.workshop.joinCode, 'Ada');
    const formula = await api.join(created.workshop.joinCode, '=HYPERLINK("http://x")');
    await api.report(created.workshop.id, ada, { lesson: '05-images', step: 1, command: 'docker images', exitCode: 0 });
    await api.report(created.workshop.id, formula, { lesson: '04-layers', step: 0, command: HOSTILE_COMMAND, exitCode: 1 });
    const { page } = await openDashboard(browser(), server.url, 'en', created);
    const request = page.waitForRequest((r) => r.url().includes('/export?format=csv'));
    const download = page.waitForEvent('download');
    await page.click('[data-export="csv"]');
    expect((await request).headers()['x-instructor-secret']).toBe(created.instructorSecret);
    const file = await download;
    expect(file.suggestedFilename()).toBe(`workshop-${created.workshop.id}.csv`);
    const csv = readFileSync((await file.path())!, 'utf8');
    const lines = csv
      .replace(/^\ufeff/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines[0]).toContain('displayName');
    expect(lines).toHaveLength(3);
    expect(csv).toMatch(/^Ada,05-images,1,/m);
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(csv).toContain('"docker run busybox echo ""<script>window.__pwned=2</script><b>bold</b>"""');
    await expect.poll(() => page.textContent('[data-notice]')).toContain(`workshop-${created.workshop.id}.csv`);

    const json = page.waitForEvent('download');
    await page.click('[data-export="json"]');
    const body = JSON.parse(readFileSync((await (await json).path())!, 'utf8')) as { learners: { displayName: string }[] };
    expect(body.learners.map((l) => l.displayName).sort()).toEqual(['=HYPERLINK("http://x")', 'Ada']);
    await page.close();
  });

  it('sends a hint to everyone and one to the watched learner, and resets their sandbox once confirmed', async () => {
    const created = await api.create('Hints');
    const ada = await api.join(created.workshop.joinCode, 'Ada');
    const { page } = await openDashboard(browser(), server.url, 'en', created);

    const toAll = page.waitForResponse((r) => r.url().endsWith('/hints'));
    await page.fill('[data-hint-all] textarea', 'Try docker image ls');
    await page.click('[data-hint-all] button[type="submit"]');
    const all = await toAll;
    expect(all.status()).toBe(201);
    expect(((await all.json()) as { hint: { text: string; toAll: boolean } }).hint).toMatchObject({ text: 'Try docker image ls', toAll: true });
    await expect.poll(() => page.textContent('[data-notice]')).toBe('Hint sent to everyone.');
    expect(await page.inputValue('[data-hint-all] textarea')).toBe('');

    await page.click(`tr[data-learner-id="${ada.learner.id}"] .learner-name`);
    await page.waitForSelector('[data-learner-panel]:not([hidden])');
    const toOne = page.waitForResponse((r) => r.url().endsWith('/hints'));
    await page.fill('[data-hint-one] textarea', 'Look at the layer list');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    const one = await toOne;
    expect(JSON.parse(one.request().postData()!)).toEqual({ text: 'Look at the layer list', learnerId: ada.learner.id });
    expect(((await one.json()) as { hint: { toAll: boolean } }).hint.toAll).toBe(false);
    await expect.poll(() => page.textContent('[data-notice]')).toBe('Hint sent to Ada.');

    // Reset: nothing until confirmed; then the server gives Ada a new backend (the simulator, on this server).
    const resets: string[] = [];
    page.on('request', (r) => r.url().endsWith('/reset') && resets.push(r.url()));
    await page.click('[data-reset]');
    expect(await page.textContent('dialog[open] [data-confirm-text]')).toContain("Ada's sandbox");
    await page.click('dialog[open] button[value="cancel"]');
    expect(resets).toEqual([]);
    const reset = page.waitForResponse((r) => r.url().endsWith('/reset'));
    await page.click('[data-reset]');
    await page.click('dialog[open] [data-confirm-ok]');
    expect((await reset).status()).toBe(200);
    await expect.poll(() => page.textContent('[data-notice]')).toBe('Ada starts afresh on the simulator.');
    await page.close();
  });
});

/** A learner row as the live socket sends one (the contract's rows: GET /class's, with `stuck` and `stepSinceMs`). */
function aLiveRow(
  i: number,
  over: { lesson?: string; step?: number; commands?: number; failed?: number; stuck?: string | null; name?: string } = {},
) {
  return {
    id: `learner${String(i).padStart(4, '0')}`,
    displayName: over.name ?? `Learner ${i}`,
    joinedAt: 0,
    sandbox: i % 2 === 0,
    stuck: over.stuck ?? null,
    stepSinceMs: Date.now() - 1000 * i,
    position: {
      lesson: over.lesson ?? '04-layers',
      step: over.step ?? i % 4,
      stepSince: Date.now() - 1000 * i,
      commands: over.commands ?? i,
      failedCommands: over.failed ?? 0,
      lastCommand: 'docker ps',
      lastExitCode: 0,
      lastAt: Date.now(),
    },
  };
}

// The page against the socket's contract, the test playing the server: what it sends, and what it makes of each message.
describe.skipIf(!run)('the workshop dashboard on its live socket', () => {
  const browser = useBrowser();
  const server = useSandboxSite('layerlab-dashboard-live-', () => ({ LAYERLAB_SANDBOX: 'off' }));
  const api = workshopApi(() => server.url);

  it('authenticates with its first message, applies deltas to their rows only, flags the stuck and watches a learner read-only', async () => {
    const created = await api.create('Live');
    const page = await browser().newPage({ viewport: { width: 1400, height: 900 } });
    const received: { type: string; [k: string]: unknown }[] = [];
    const urls: string[] = [];
    let send: (message: object) => void = () => undefined;
    let close: (code: number) => void = () => undefined;
    await page.routeWebSocket(/\/live$/, (ws) => {
      urls.push(ws.url());
      send = (message) => ws.send(JSON.stringify(message));
      close = (code) => void ws.close({ code });
      ws.onMessage((data) => received.push(JSON.parse(String(data)) as { type: string }));
    });
    await page.goto(`${server.url}/en/workshop/dashboard/#workshop=${created.workshop.id}&secret=${created.instructorSecret}`);
    await expect.poll(() => received[0]).toEqual({ type: 'auth', secret: created.instructorSecret });
    expect(urls[0]).toBe(`${server.url.replace('http', 'ws')}/api/workshops/${created.workshop.id}/live`);

    // 300 learners at once, then a delta: only the changed rows' nodes are touched.
    const learners = Array.from({ length: 300 }, (_, i) => aLiveRow(i, i === 7 ? { name: HOSTILE_NAME } : {}));
    // The server's clock an hour ahead of this page's: times on steps are counted on the server's.
    const workshop = { ...created.workshop, lessons: ['04-layers', '05-images'], closedAt: null, joinPaused: false };
    send({ type: 'class', workshop, learners, now: Date.now() + 3_600_000 });
    await expect.poll(() => page.locator('[data-rows] tr').count()).toBe(300);
    await expect.poll(() => page.textContent('[data-status]')).toBe('Live');
    expect(await page.textContent('tr[data-learner-id="learner0000"] td[data-part="time"]')).toMatch(/^1:00:0\d$/);
    await page.evaluate(() => {
      const touched = new Set<string>();
      new MutationObserver((records) => {
        for (const r of records)
          touched.add((r.target instanceof Element ? r.target : r.target.parentElement)!.closest('tr')?.dataset.learnerId ?? 'outside');
      }).observe(document.querySelector('[data-rows]')!, { subtree: true, childList: true, characterData: true, attributes: true });
      (window as unknown as { touched: Set<string> }).touched = touched;
    });
    send({ type: 'learners', learners: [aLiveRow(7, { commands: 99, failed: 3, stuck: 'failing', name: HOSTILE_NAME })] });
    const row = 'tr[data-learner-id="learner0007"]';
    await expect.poll(() => page.getAttribute(row, 'data-stuck')).toBe('failing');
    expect(await page.textContent(`${row} td[data-part="stuck"]`)).toBe('Failing');
    expect(await page.textContent(`${row} .learner-name`)).toBe(HOSTILE_NAME);
    expect(await page.textContent(`${row} td[data-part="commands"]`)).toBe('99');
    await page.waitForTimeout(50);
    // The clocks tick every second in the time cells; apart from those, the delta wrote row 7 alone.
    const touched = await page.evaluate(() => [...(window as unknown as { touched: Set<string> }).touched]);
    expect(touched).toContain('learner0007');
    expect(touched).not.toContain('outside');
    expect(await page.textContent('[data-summary]')).toContain('1 stuck');
    await page.check('[data-filter-stuck]');
    await expect.poll(() => page.locator('[data-rows] tr:not([hidden])').count()).toBe(1);
    await page.uncheck('[data-filter-stuck]');

    // Watching: the picture draws the learner's relayed state; their output is text.
    const engine = await createSimEngine();
    await engine.exec('docker create --name watched-web busybox');
    const state = await engine.state();
    await page.click(`${row} .learner-name`);
    await expect.poll(() => received.at(-1)).toEqual({ type: 'watch', learnerId: 'learner0007' });
    send({ type: 'watch', learnerId: 'learner0007', state });
    send({ type: 'output', learnerId: 'learner0007', command: HOSTILE_COMMAND, output: '<img src=x onerror="window.__pwned=3">', exitCode: 1 });
    send({ type: 'output', learnerId: 'learner0008', command: 'not watched', output: 'nope', exitCode: 0 });
    await expect.poll(() => page.getAttribute('[data-learner-panel] ll-picture', 'data-seq')).toBe(String(state.seq));
    await expect.poll(() => page.textContent('[data-output]')).toBe(`$ ${HOSTILE_COMMAND}<img src=x onerror="window.__pwned=3">`);
    expect(await page.locator('[data-output] img, [data-output] script').count()).toBe(0);
    await page.click('[data-unwatch]');
    await expect.poll(() => received.at(-1)).toEqual({ type: 'unwatch' });
    expect(await page.evaluate(() => document.activeElement?.closest('tr')?.dataset.learnerId)).toBe('learner0007');

    // A refused secret: the page says so and stops reconnecting.
    close(4401);
    await expect.poll(() => page.textContent('[data-status]')).toBe('The server refused this instructor link.');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await engine.dispose();
    await page.close();
  });

  it('keeps up with 300 learners reporting: a burst of deltas is drawn in frames, not per message', async () => {
    const created = await api.create('Load');
    const page = await browser().newPage({ viewport: { width: 1400, height: 900 } });
    let send: (message: object) => void = () => undefined;
    let close: (code: number) => void = () => undefined;
    await page.routeWebSocket(/\/live$/, (ws) => {
      send = (message) => ws.send(JSON.stringify(message));
      close = (code) => void ws.close({ code });
      ws.onMessage(() => undefined);
    });
    await page.goto(`${server.url}/en/workshop/dashboard/#workshop=${created.workshop.id}&secret=${created.instructorSecret}`);
    await page.waitForSelector('[data-board]:not([hidden])');
    const workshop = { ...created.workshop, lessons: ['04-layers', '05-images'], closedAt: null, joinPaused: false };
    send({ type: 'class', workshop, learners: Array.from({ length: 300 }, (_, i) => aLiveRow(i)) });
    await expect.poll(() => page.locator('[data-rows] tr').count()).toBe(300);
    // What the table writes, and when. Each animation frame callback is wrapped: the row writes it made are taken from
    // the observer as it returns (that frame's), so whatever the observer is handed was written outside any frame —
    // per message. No clock is read: a loaded machine makes frames fewer and longer, never writes outside them.
    await page.evaluate(() => {
      const w = window as unknown as { writes: { outside: number; frames: number; mostPerCell: number; cellWrites: number } };
      w.writes = { outside: 0, frames: 0, mostPerCell: 0, cellWrites: 0 };
      // A changed cell, by learner and part, or a row moved (put in its new place); the time cells are the clocks'
      // (a 1 s interval), not a delta's; a row's attributes (stuck, selected) go with its cells.
      const cellsOf = (records: MutationRecord[]) =>
        records.flatMap((r) => {
          if (r.type === 'attributes') return [];
          if (r.target === document.querySelector('[data-rows]'))
            return [...r.addedNodes].map((tr) => `${(tr as HTMLElement).dataset.learnerId}/moved`);
          const element = r.target instanceof Element ? r.target : r.target.parentElement!;
          const part = element.closest('td')?.dataset.part ?? 'name';
          return part === 'time' ? [] : [`${element.closest('tr')?.dataset.learnerId}/${part}`];
        });
      const observer = new MutationObserver((records) => (w.writes.outside += cellsOf(records).length));
      observer.observe(document.querySelector('[data-rows]')!, { subtree: true, childList: true, characterData: true, attributes: true });
      // One frame's callbacks all get its time: the writes are counted per frame, however many callbacks it ran.
      let frame: { now: number; perCell: Map<string, number> } = { now: -1, perCell: new Map() };
      const requestFrame = window.requestAnimationFrame.bind(window);
      window.requestAnimationFrame = (callback) =>
        requestFrame((now) => {
          try {
            callback(now);
          } finally {
            const cells = cellsOf(observer.takeRecords());
            if (cells.length > 0 && frame.now !== now) {
              frame = { now, perCell: new Map() };
              w.writes.frames += 1;
            }
            w.writes.cellWrites += cells.length;
            for (const cell of cells) frame.perCell.set(cell, (frame.perCell.get(cell) ?? 0) + 1);
            w.writes.mostPerCell = Math.max(w.writes.mostPerCell, ...frame.perCell.values());
          }
        });
    });
    // 40 deltas of every learner moving on, as fast as the socket takes them (the server coalesces to 4 a second).
    const rounds = 40;
    for (let round = 1; round <= rounds; round++) {
      send({ type: 'learners', learners: Array.from({ length: 300 }, (_, i) => aLiveRow(i, { step: (i + round) % 4, commands: i + round })) });
    }
    await expect.poll(() => page.textContent('tr[data-learner-id="learner0299"] td[data-part="commands"]')).toBe(String(299 + rounds));
    const writes = await page.evaluate(
      () => (window as unknown as { writes: { outside: number; frames: number; mostPerCell: number; cellWrites: number } }).writes,
    );
    console.log(`dashboard: ${rounds} deltas × 300 learners drawn in ${writes.frames} frames, ${writes.cellWrites} cell writes`);
    // Smooth with 300 learners: every row write is in an animation frame (none per message), each cell written at most
    // once a frame however many deltas came in it, so a frame costs one pass over the class and one layout.
    expect(writes.outside).toBe(0);
    expect(writes.mostPerCell).toBe(1);
    expect(writes.frames).toBeGreaterThan(0);
    expect(writes.frames).toBeLessThanOrEqual(rounds);
    // Only what changed is written: a delta changes a row's place and commands, and may move it (300 × 3 a frame at most).
    expect(writes.cellWrites).toBeLessThanOrEqual(writes.frames * 300 * 3);
    // A deleted workshop's socket closes 4404: nothing to reconnect to, and the page says so.
    close(4404);
    await expect.poll(() => page.textContent('[data-status]')).toBe('This workshop was deleted.');
    await page.close();
  });
});

// The page on the server's own live socket (sandbox-server's workshop sockets): reports from scripted learners appear as they happen.
describe.skipIf(!run)('the workshop dashboard live, end to end', () => {
  const browser = useBrowser();
  const server = useSandboxSite('layerlab-dashboard-e2e-', () => ({ LAYERLAB_SANDBOX: 'off' }));
  const api = workshopApi(() => server.url);

  it("shows a learner's report without a reload, flags repeated failures as stuck, and a hint sent from it reaches the learner's socket", async () => {
    const created = await api.create('End to end');
    const ada = await api.join(created.workshop.joinCode, 'Ada');
    const bob = await api.join(created.workshop.joinCode, 'Bob');
    const { page, errors } = await openDashboard(browser(), server.url, 'en', created);
    await expect.poll(() => page.textContent('[data-status]')).toBe('Live');
    await page.evaluate(() => ((window as unknown as { loadedOnce: boolean }).loadedOnce = true));

    await api.report(created.workshop.id, ada, { lesson: '05-images', step: 2 });
    await expect.poll(() => page.textContent(`tr[data-learner-id="${ada.learner.id}"] td[data-part="place"]`)).toMatch(/Images · step 3 of/);
    for (const command of ['docker pss', 'docker imgs', 'docker rn busybox'])
      await api.report(created.workshop.id, bob, { lesson: '04-layers', step: 1, command, exitCode: 1 });
    await expect.poll(() => page.getAttribute(`tr[data-learner-id="${bob.learner.id}"]`, 'data-stuck')).toBe('failing');
    expect(await page.textContent(`tr[data-learner-id="${bob.learner.id}"] td[data-part="command"]`)).toBe('docker rn busybox');
    expect(await page.evaluate(() => (window as unknown as { loadedOnce?: boolean }).loadedOnce)).toBe(true);

    const heard: { type: string; hint?: { text: string; toAll: boolean } }[] = [];
    const learnerSocket = new WebSocket(`${server.url.replace('http', 'ws')}/api/workshops/${created.workshop.id}/learners/${bob.learner.id}/live`);
    learnerSocket.on('open', () => learnerSocket.send(JSON.stringify({ type: 'auth', token: bob.resumeToken })));
    learnerSocket.on('message', (data) => heard.push(JSON.parse(String(data)) as (typeof heard)[number]));
    await new Promise((resolve) => learnerSocket.once('open', resolve));
    await page.fill('[data-hint-all] textarea', 'Check the spelling of the command');
    await page.click('[data-hint-all] button[type="submit"]');
    await expect.poll(() => heard.find((m) => m.type === 'hint')?.hint).toMatchObject({ text: 'Check the spelling of the command', toAll: true });
    learnerSocket.close();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the stuck settings and changes them: the class is re-flagged live; a bad value is refused by the field', async () => {
    const created = await api.create('Settings');
    const cy = await api.join(created.workshop.joinCode, 'Cy');
    for (const command of ['docker pss', 'docker imgs'])
      await api.report(created.workshop.id, cy, { lesson: '04-layers', step: 1, command, exitCode: 1 });
    const { page, errors } = await openDashboard(browser(), server.url, 'ko', created);
    await expect.poll(() => page.textContent('[data-status]')).toBe('실시간');
    const field = (name: string) => `[data-stuck-settings] input[name="${name}"]`;
    expect([
      await page.inputValue(field('slowFactor')),
      await page.inputValue(field('slowFloorSeconds')),
      await page.inputValue(field('failingCommands')),
    ]).toEqual(['3', '120', '3']);
    // Two failures: not stuck by the defaults (3).
    expect(await page.getAttribute(`tr[data-learner-id="${cy.learner.id}"]`, 'data-stuck')).toBe('');

    // 0 failures is not a setting: the browser keeps the form, nothing reaches the server.
    await page.fill(field('failingCommands'), '0');
    await page.click('[data-stuck-settings] button[type="submit"]');
    expect(await page.evaluate((selector) => document.querySelector<HTMLInputElement>(selector)!.validity.valid, field('failingCommands'))).toBe(
      false,
    );
    const unchanged = await api.call(`/workshops/${created.workshop.id}/class`, { secret: created.instructorSecret });
    expect((unchanged.body!.workshop as { stuckSettings: object }).stuckSettings).toEqual({
      slowFactor: 3,
      slowFloorMs: 120_000,
      failingCommands: 3,
    });

    await page.fill(field('failingCommands'), '2');
    await page.fill(field('slowFloorSeconds'), '45');
    await page.click('[data-stuck-settings] button[type="submit"]');
    await expect.poll(() => page.getAttribute(`tr[data-learner-id="${cy.learner.id}"]`, 'data-stuck')).toBe('failing');
    expect(await page.textContent('[data-notice]')).toBe('저장했어요. 이제 새 기준으로 막힌 학습자를 표시해요.');
    const saved = await api.call(`/workshops/${created.workshop.id}/class`, { secret: created.instructorSecret });
    expect((saved.body!.workshop as { stuckSettings: object }).stuckSettings).toEqual({ slowFactor: 3, slowFloorMs: 45_000, failingCommands: 2 });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a revoke ends another dashboard open on the old link, which says so; the one that revoked stays live', async () => {
    const created = await api.create('Revoked');
    const { page: laptop } = await openDashboard(browser(), server.url, 'en', created);
    const { page: projector } = await openDashboard(browser(), server.url, 'en', created);
    await expect.poll(() => projector.textContent('[data-status]')).toBe('Live');
    await laptop.click('[data-revoke]');
    await laptop.click('dialog[open] [data-confirm-ok]');
    await laptop.waitForSelector('[data-new-link-box]:not([hidden])');
    await expect.poll(() => projector.textContent('[data-status]')).toBe('The server refused this instructor link.');
    await expect.poll(() => laptop.textContent('[data-status]')).toBe('Live');
    await laptop.close();
    await projector.close();
  });
});
