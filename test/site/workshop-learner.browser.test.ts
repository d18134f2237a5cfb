import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations } from '../support/axe.js';
import { collectErrors, useBrowser } from '../support/browser.js';
import { freePort } from '../support/free-port.js';
import { missingBrowserPrereqs, missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';
import { startSiteServer, type SiteServer } from '../support/site-server.js';

interface Created {
  workshop: { id: string; joinCode: string };
  instructorSecret: string;
  /** The dashboard's path, the secret in its fragment. */
  instructorLink: string;
}

interface ClassRow {
  id: string;
  displayName: string;
  sandbox: boolean;
  position: { lesson: string | null; step: number | null; commands: number; failedCommands: number };
}

/** A learner's page in a browser context of its own, and the sandbox sessions it has run on, in order (by the session socket each opened). */
interface Learner {
  page: Page;
  errors: string[];
  /** The server's answers of 400 and above: which call, which status. */
  refused: string[];
  sessions: string[];
  id: string;
}

/** Records each answer of 400 and above as `STATUS METHOD PATH`. */
function refusedCalls(page: Page): string[] {
  const refused: string[] = [];
  page.on('response', (res) => {
    if (res.status() >= 400) refused.push(`${res.status()} ${res.request().method()} ${new URL(res.url()).pathname}`);
  });
  return refused;
}

async function joinAs(context: BrowserContext, site: string, joinCode: string, name: string): Promise<Learner> {
  const page = await context.newPage();
  const errors = collectErrors(page);
  const refused = refusedCalls(page);
  const sessions: string[] = [];
  page.on('websocket', (ws) => {
    const id = /\/api\/sessions\/([^/]+)\/ws/.exec(ws.url())?.[1];
    if (id && !sessions.includes(id)) sessions.push(id);
  });
  await page.goto(`${site}/en/workshop/#join=${joinCode}`);
  await page.fill('#join-name', name);
  await page.click('[data-join-form] button[type="submit"]');
  await page.waitForURL(`${site}/en/lessons/06-containers/`);
  await expect
    .poll(() => page.textContent('[data-workshop-sandbox]'), { timeout: 60_000 })
    .toBe('Your commands run in a real sandbox on the server.');
  await expect.poll(() => page.isEnabled('ll-terminal input'), { timeout: 60_000 }).toBe(true);
  const seat = await page.evaluate(() => JSON.parse(localStorage.getItem('layerlab.workshop') ?? 'null') as { learnerId: string } | null);
  return { page, errors, refused, sessions, id: seat!.learnerId };
}

/** A command whose output is known on every session (the base image is there): typed after the others, its line closes the last of theirs. */
const CLOSER = 'docker images';

/**
 * Types the commands into the page's terminal and returns what each printed. Each block is
 * final: the terminal prints the next command's line only once the one before has ended, and
 * the closing command follows the last.
 */
async function run(page: Page, commands: string[]): Promise<string[]> {
  // What the terminal printed before is not this run's, though it may have been the same commands.
  await page.evaluate(() => {
    (window as unknown as { printedBefore: WeakSet<Element> }).printedBefore = new WeakSet(
      document.querySelectorAll('ll-terminal [data-output] > *'),
    );
  });
  for (const command of [...commands, CLOSER]) {
    await page.fill('ll-terminal input', command);
    await page.press('ll-terminal input', 'Enter');
  }
  const blocks = () =>
    page.evaluate(() => {
      const before = (window as unknown as { printedBefore: WeakSet<Element> }).printedBefore;
      const out: { command: string; text: string }[] = [];
      for (const node of document.querySelectorAll('ll-terminal [data-output] > *')) {
        if (before.has(node)) continue;
        if (node.classList.contains('cmd')) out.push({ command: node.textContent!.slice(2), text: '' });
        else if (out.length > 0) out.at(-1)!.text += node.textContent;
      }
      return out;
    });
  const want = [...commands, CLOSER];
  await expect
    .poll(
      async () => {
        const last = (await blocks()).slice(-want.length);
        return last.map((b) => b.command).join('\n') === want.join('\n') && last.at(-1)!.text.includes('busybox');
      },
      { timeout: 60_000 },
    )
    .toBe(true);
  return (await blocks()).slice(-want.length, -1).map((b) => b.text);
}

const names = (output: string) => output.split('\n').filter(Boolean).sort();

/** How often the terminal printed a command's line: a catch-up runs the lesson's finished steps again. */
const timesRun = async (page: Page, command: string) =>
  page.locator('ll-terminal [data-output] > .cmd').evaluateAll((nodes, line) => nodes.filter((n) => n.textContent === line).length, `$ ${command}`);

/** A mark on the page's window: still there later, the page was not reloaded. */
const mark = (page: Page) => page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
const stillMarked = (page: Page) => page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument === true);

/**
 * What a browser logs, beyond the page's own errors, around a server's restart: connections refused while it is
 * down, and the 404 that tells a page its session did not survive (which calls those were is checked apart).
 */
const outage =
  /^WebSocket connection to 'ws:\/\/127\.0\.0\.1:\d+\/api\/.*' failed|^Failed to load resource: (net::ERR_CONNECTION_REFUSED|the server responded with a status of 404 \(Not Found\))$/;

describe.skipIf(!requirePrereqs('browser + linux', [...missingBrowserPrereqs(), ...missingLinuxPrereqs()]))(
  'a workshop class on the sandbox (root): hints, a reset, kill -9 and a restart',
  () => {
    const browser = useBrowser();
    let server: SiteServer | undefined;
    let stateDir: string;
    let port: number;
    let site: string;
    const contexts: BrowserContext[] = [];
    // The server's state dir and port are the class's: a restart is on both, as an instructor's would be.
    const start = async () => (server = await startSiteServer({ LAYERLAB_STATE_DIR: stateDir, PORT: String(port) }));
    beforeAll(async () => {
      stateDir = mkdtempSync(join(tmpdir(), 'layerlab-workshop-learner-'));
      port = await freePort();
      site = `http://127.0.0.1:${port}`;
      await start();
    });
    afterAll(async () => {
      for (const context of contexts) await context.close();
      await server?.stop();
      rmSync(stateDir, { recursive: true, force: true });
    });
    const context = async (b: Browser) => {
      const made = await b.newContext({ viewport: { width: 1400, height: 900 } });
      contexts.push(made);
      return made;
    };
    const classOf = async (created: Created): Promise<ClassRow[]> => {
      const res = await fetch(`${site}/api/workshops/${created.workshop.id}/class`, { headers: { 'x-instructor-secret': created.instructorSecret } });
      expect(res.status).toBe(200);
      return ((await res.json()) as { learners: ClassRow[] }).learners;
    };

    it(
      "a hint reaches the learner's lesson, a reset gives them a fresh sandbox with progress kept, and after kill -9 and a restart every page heals by itself",
      { timeout: 600_000 },
      async () => {
        const made = await fetch(`${site}/api/workshops`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ title: 'Containers', lessons: ['06-containers', '01-what-is-docker'], locale: 'en' }),
        });
        expect(made.status).toBe(201);
        const created = (await made.json()) as Created;

        // The instructor's dashboard, from the instructor link, in a browser of its own.
        const dashboard = await (await context(browser())).newPage();
        const dashboardErrors = collectErrors(dashboard);
        const dashboardRefused = refusedCalls(dashboard);
        await dashboard.goto(`${site}${created.instructorLink}`);
        await dashboard.waitForSelector('[data-board]:not([hidden])');
        await expect.poll(() => dashboard.textContent('[data-status]'), { timeout: 30_000 }).toBe('Live');

        // Two learners, each in a browser of their own, each on a real sandbox of their own.
        const grace = await joinAs(await context(browser()), site, created.workshop.joinCode, 'Grace');
        const lin = await joinAs(await context(browser()), site, created.workshop.joinCode, 'Lin');
        expect(grace.sessions).toHaveLength(1);
        expect(lin.sessions).toHaveLength(1);
        expect(grace.sessions[0]).not.toBe(lin.sessions[0]);

        // Grace does the lesson's first two steps and makes a container no step asks for; Lin makes one of hers.
        await run(grace.page, [
          'docker run -d --name web busybox sleep 3600',
          "docker exec web sh -c 'echo hi > /hello.txt'",
          'docker create --name scratch busybox',
        ]);
        await expect.poll(() => grace.page.locator('[data-step-item][data-done]').count(), { timeout: 30_000 }).toBe(2);
        expect(await grace.page.locator('[data-step-item="write-file"][data-done]').count()).toBe(1);
        expect(names((await run(lin.page, ['docker create --name lins busybox', 'docker ps -a --format {{.Names}}']))[1]!)).toEqual(['lins']);

        const cell = (page: Page, learnerId: string, part: string) => page.textContent(`tr[data-learner-id="${learnerId}"] td[data-part="${part}"]`);
        const row = async (learnerId: string) => ({
          place: await cell(dashboard, learnerId, 'place'),
          commands: await cell(dashboard, learnerId, 'commands'),
          backend: await cell(dashboard, learnerId, 'backend'),
        });
        // Grace's third step is where she is: two done, their commands and hers counted (the closing one too).
        const graceBefore = { place: 'Containers · step 3 of 5', commands: '4', backend: 'Sandbox' };
        await expect.poll(() => row(grace.id), { timeout: 30_000 }).toEqual(graceBefore);
        await expect.poll(() => row(lin.id), { timeout: 30_000 }).toEqual({ place: 'Containers · step 1 of 5', commands: '3', backend: 'Sandbox' });

        // Hints from the dashboard: one to Grace, then one to everyone. An instructor's markup is text too.
        await dashboard.click(`tr[data-learner-id="${grace.id}"] .learner-name`);
        await dashboard.waitForSelector('[data-learner-panel]:not([hidden])');
        await dashboard.fill('[data-hint-one] textarea', '<b>Grace</b>, look at STATUS');
        await dashboard.click('[data-hint-one] button[type="submit"]');
        await expect.poll(() => dashboard.textContent('[data-notice]'), { timeout: 15_000 }).toBe('Hint sent to Grace.');
        await dashboard.fill('[data-hint-all] textarea', 'Try docker ps -a');
        await dashboard.click('[data-hint-all] button[type="submit"]');
        await expect.poll(() => dashboard.textContent('[data-notice]'), { timeout: 15_000 }).toBe('Hint sent to everyone.');
        const hints = (page: Page) => page.locator('[data-workshop-hints] li').allTextContents();
        const graceHints = ['<b>Grace</b>, look at STATUS — to you', 'Try docker ps -a — to everyone'];
        await expect.poll(() => hints(grace.page), { timeout: 30_000 }).toEqual(graceHints);
        expect(await grace.page.locator('[data-workshop-hints] b').count()).toBe(0);
        // Lin's came after Grace's on the same server: had Grace's been sent to her, it would be there first.
        await expect.poll(() => hints(lin.page), { timeout: 30_000 }).toEqual(['Try docker ps -a — to everyone']);
        expect(await axeViolations(grace.page, 'serious')).toEqual([]);

        // The instructor resets Grace's sandbox: confirmed, then a new session, the finished steps run again on it.
        await dashboard.click('[data-reset]');
        expect(await dashboard.textContent('dialog[open] [data-confirm-text]')).toContain("Grace's sandbox");
        await dashboard.click('dialog[open] [data-confirm-ok]');
        await expect.poll(() => dashboard.textContent('[data-notice]'), { timeout: 30_000 }).toBe('Grace has a fresh sandbox.');
        await expect.poll(() => grace.sessions.length, { timeout: 60_000 }).toBe(2);
        await expect
          .poll(() => grace.page.textContent('[data-workshop-reset]'), { timeout: 30_000 })
          .toBe('Your instructor reset your sandbox. Your progress is kept; the commands of the steps you finished run again on the new one.');
        expect(await grace.page.isVisible('[data-workshop-reset]')).toBe(true);
        // Her terminal says so too — not that her session ended by itself (idle, a restart), which is not what happened.
        await expect
          .poll(() => grace.page.locator('ll-terminal .notice').allTextContents(), { timeout: 30_000 })
          .toEqual([
            'Your instructor reset your sandbox. Your progress is kept, and the commands of the steps you finished run again on the new one.',
          ]);
        // Its last command ran (she typed the step's other one, not this): the state is back before she types again.
        await expect.poll(() => timesRun(grace.page, 'docker diff web'), { timeout: 60_000 }).toBe(1);
        // Her own container is gone with the old sandbox; the steps' container and its file are back.
        const afterReset = await run(grace.page, ['docker ps -a --format {{.Names}}', 'docker exec web cat /hello.txt']);
        expect(names(afterReset[0]!)).toEqual(['web']);
        expect(afterReset[1]!.trim()).toBe('hi');
        expect(await grace.page.locator('[data-step-item][data-done]').count()).toBe(2);
        // Progress kept: the replayed commands are not hers, the three she typed are.
        const graceAfterReset = { place: 'Containers · step 3 of 5', commands: '7', backend: 'Sandbox' };
        await expect.poll(() => row(grace.id), { timeout: 30_000 }).toEqual(graceAfterReset);
        // Lin's sandbox is not Grace's: untouched.
        expect(names((await run(lin.page, ['docker ps -a --format {{.Names}}']))[0]!)).toEqual(['lins']);
        expect(lin.sessions).toHaveLength(1);
        expect(await lin.page.isHidden('[data-workshop-reset]')).toBe(true);
        await expect.poll(() => row(lin.id), { timeout: 30_000 }).toEqual({ place: 'Containers · step 1 of 5', commands: '5', backend: 'Sandbox' });

        // kill -9 mid-class, the containers running. Every page says it lost the server; none is reloaded.
        for (const page of [dashboard, grace.page, lin.page]) await mark(page);
        await server!.crash();
        await expect.poll(() => dashboard.textContent('[data-status]'), { timeout: 30_000 }).toBe('Connection lost: reconnecting…');
        for (const { page } of [grace, lin])
          await expect
            .poll(() => page.textContent('[data-workshop-warn]'), { timeout: 30_000 })
            .toBe('Lost the connection to the class server. Reconnecting…');
        await start();

        // Each learner's page reconnects by itself and gets a fresh sandbox, her lesson's state replayed on it.
        await expect.poll(() => grace.sessions.length, { timeout: 120_000 }).toBe(3);
        await expect.poll(() => lin.sessions.length, { timeout: 120_000 }).toBe(2);
        for (const { page } of [grace, lin]) await expect.poll(() => page.isHidden('[data-workshop-warn]'), { timeout: 60_000 }).toBe(true);
        await expect.poll(() => timesRun(grace.page, 'docker diff web'), { timeout: 60_000 }).toBe(2);
        // The dashboard catches up: the class as it was, everyone on a sandbox again, before anyone types.
        await expect.poll(() => dashboard.textContent('[data-status]'), { timeout: 60_000 }).toBe('Live');
        await expect.poll(() => row(grace.id), { timeout: 60_000 }).toEqual(graceAfterReset);
        await expect.poll(() => row(lin.id), { timeout: 60_000 }).toEqual({ place: 'Containers · step 1 of 5', commands: '5', backend: 'Sandbox' });

        const afterRestart = await run(grace.page, ['docker ps -a --format {{.Names}}', 'docker exec web cat /hello.txt']);
        expect(names(afterRestart[0]!)).toEqual(['web']);
        expect(afterRestart[1]!.trim()).toBe('hi');
        expect(await grace.page.locator('[data-step-item][data-done]').count()).toBe(2);
        // Lin finished no step: her fresh sandbox holds nothing of the old one.
        expect(names((await run(lin.page, ['docker ps -a --format {{.Names}}']))[0]!)).toEqual([]);
        await expect.poll(() => row(grace.id), { timeout: 30_000 }).toEqual({ ...graceAfterReset, commands: '10' });
        await expect.poll(() => row(lin.id), { timeout: 30_000 }).toEqual({ place: 'Containers · step 1 of 5', commands: '7', backend: 'Sandbox' });
        expect(
          (await classOf(created))
            .map((l) => ({ name: l.displayName, sandbox: l.sandbox, ...l.position }))
            .sort((a, b) => a.name.localeCompare(b.name)),
        ).toMatchObject([
          { name: 'Grace', sandbox: true, lesson: '06-containers', step: 2, commands: 10, failedCommands: 0 },
          { name: 'Lin', sandbox: true, lesson: '06-containers', step: 0, commands: 7, failedCommands: 0 },
        ]);
        // Every session a page has had is its own: none came back, none is another learner's.
        expect(new Set([...grace.sessions, ...lin.sessions]).size).toBe(5);
        // Hints are stored: sent again on connect, each shown once.
        expect(await hints(grace.page)).toEqual(graceHints);
        expect(await hints(lin.page)).toEqual(['Try docker ps -a — to everyone']);
        for (const page of [dashboard, grace.page, lin.page]) expect(await stillMarked(page)).toBe(true);
        // The one refusal a page meets: the session it ran on when the server died, found gone (404), which is how it knows to renew.
        expect(dashboardRefused).toEqual([]);
        for (const [learner, dead] of [
          [grace, grace.sessions[1]],
          [lin, lin.sessions[0]],
        ] as const) {
          expect(learner.refused.length).toBeGreaterThan(0);
          for (const call of learner.refused) expect(call).toMatch(new RegExp(`^404 [A-Z]+ /api/sessions/${dead}(/|$)`));
        }
        for (const errors of [dashboardErrors, grace.errors, lin.errors]) expect(errors.filter((e) => !outage.test(e))).toEqual([]);
      },
    );
  },
);
