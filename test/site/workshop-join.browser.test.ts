import { describe, expect, inject, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { axeViolations } from '../support/axe.js';
import { collectErrors, useBrowser } from '../support/browser.js';
import { missingBrowserPrereqs, requirePrereqs } from '../support/prereqs.js';

const run = requirePrereqs('browser', missingBrowserPrereqs());

interface ClassRow {
  id: string;
  displayName: string;
  position: { lesson: string | null; step: number | null; commands: number; failedCommands: number; lastCommand: string | null };
}

/** The instructor's view of the class, through the API as the dashboard reads it. */
async function classOf(site: string, workshopId: string, secret: string): Promise<ClassRow[]> {
  const res = await fetch(`${site}/api/workshops/${workshopId}/class`, { headers: { 'x-instructor-secret': secret } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { learners: ClassRow[] }).learners;
}

async function typeCommand(page: Page, command: string): Promise<void> {
  await page.fill('ll-terminal input', command);
  await page.press('ll-terminal input', 'Enter');
}

/** The learner this browser holds (learner-seat.ts), as the page stored it. */
const seatOf = (page: Page) => page.evaluate(() => JSON.parse(localStorage.getItem('layerlab.workshop') ?? 'null') as { learnerId: string } | null);

describe.skipIf(!run)('workshops: create, join by link and by code, resume', () => {
  const browser = useBrowser();
  const site = inject('siteUrl');
  const contexts: BrowserContext[] = [];
  const context = async () => {
    const made = await browser().newContext();
    contexts.push(made);
    return made;
  };

  it('an instructor creates a workshop on the page; learners join by link and by code, run a step, and resume', { timeout: 180_000 }, async () => {
    // The instructor: two lessons, the second of the course moved before the first.
    const instructor = await (await context()).newPage();
    const instructorErrors = collectErrors(instructor);
    await instructor.goto(`${site}/en/workshop/`);
    expect(await instructor.locator('header nav:not(.languages) a[href="/en/workshop/"]').count()).toBe(1);
    // What this server can hold, as the capacity route says it: this suite's server runs no sandbox.
    const capacity = (await (await fetch(`${site}/api/workshops/capacity`)).json()) as { available: boolean };
    expect(capacity.available).toBe(false);
    await expect
      .poll(() => instructor.textContent('[data-capacity]'))
      .toBe('This server runs no real sandboxes: every learner uses the simulator in their browser.');
    await instructor.fill('#create-title-input', 'Layers <b>101</b>');
    for (const box of await instructor.locator('input[name="lesson"]').all()) {
      const value = await box.getAttribute('value');
      if (value !== '01-what-is-docker' && value !== '06-containers') await box.uncheck();
    }
    // ↑ on lesson 06 until it is the first of the list, by keyboard: the focus stays on the button.
    const up = instructor.locator('li[data-lesson="06-containers"] button[data-move="up"]');
    await up.focus();
    while ((await instructor.locator('[data-lesson-picker] li').first().getAttribute('data-lesson')) !== '06-containers')
      await instructor.keyboard.press('Enter');
    await instructor.click('[data-create-form] summary');
    await instructor.fill('#create-max', '5');
    // Who is flagged stuck: two of the three chosen, the third left to its default.
    await instructor.click('[data-create-form] details:nth-of-type(2) summary');
    await instructor.fill('#create-failing', '2');
    await instructor.fill('#create-slow-floor', '90');
    await instructor.click('[data-create-form] button[type="submit"]');
    await instructor.waitForSelector('[data-created]:not([hidden])');
    expect(await instructor.isVisible('.secret-note')).toBe(true);
    expect(await instructor.textContent('.secret-note')).toContain('shown only this once');
    const joinCode = (await instructor.textContent('[data-join-code]'))!;
    expect(joinCode).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    const joinLink = await instructor.inputValue('[data-join-link]');
    expect(joinLink).toBe(`${site}/en/workshop/#join=${joinCode}`);
    expect(await instructor.inputValue('[data-instructor-link]')).toMatch(new RegExp(`^${site}/en/workshop/dashboard/#workshop=`));
    const instructorLink = new URL(await instructor.inputValue('[data-instructor-link]'));
    const params = new URLSearchParams(instructorLink.hash.slice(1));
    const workshopId = params.get('workshop')!;
    const secret = params.get('secret')!;
    expect(secret.length).toBeGreaterThan(20);
    const made = await fetch(`${site}/api/workshops/${workshopId}/class`, { headers: { 'x-instructor-secret': secret } });
    expect(((await made.json()) as { workshop: { stuckSettings: object } }).workshop.stuckSettings).toEqual({
      slowFactor: 3,
      slowFloorMs: 90_000,
      failingCommands: 2,
    });
    // The secret is the instructor's only: nothing of it is kept in this browser.
    expect(await instructor.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }))).not.toContain(secret);
    expect(await axeViolations(instructor)).toEqual([]);
    expect(instructorErrors).toEqual([]);

    // Learner A opens the join link: the code is filled in, the name is theirs to type.
    const a = await (await context()).newPage();
    const aErrors = collectErrors(a);
    await a.goto(joinLink);
    expect(await a.inputValue('#join-code')).toBe(joinCode);
    await a.fill('#join-name', 'Ada');
    await a.click('[data-join-form] button[type="submit"]');
    // The workshop's first lesson, in the workshop's order.
    await a.waitForURL(`${site}/en/lessons/06-containers/`);
    await a.waitForSelector('ll-workshop-bar:not([hidden])');
    expect(await a.textContent('[data-workshop-title]')).toBe('Workshop: Layers <b>101</b>');
    expect(await a.textContent('[data-workshop-place]')).toBe('Lesson 1 of 2');
    expect(await a.getAttribute('[data-workshop-next] a', 'href')).toBe('/en/lessons/01-what-is-docker/');
    // The site's server here runs no sandbox: the learner is told they are on the simulator, by the bar and the badge.
    await expect.poll(() => a.textContent('[data-workshop-sandbox]')).toContain('simulator');
    await expect.poll(() => a.getAttribute('ll-backend-badge', 'data-backend')).toBe('sim');
    await expect.poll(() => a.isEnabled('ll-terminal input'), { timeout: 30_000 }).toBe(true);
    await typeCommand(a, 'docker run -d --name web busybox sleep 3600');
    await expect.poll(() => a.locator('[data-step-item="run-web"][data-done]').count(), { timeout: 30_000 }).toBe(1);
    await typeCommand(a, 'docker rm nothing-here');
    // The instructor opens image sharing: on the simulator the bar says it needs the sandbox.
    expect(await a.isHidden('[data-workshop-registry]')).toBe(true);
    const opened = await fetch(`${site}/api/workshops/${workshopId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', 'x-instructor-secret': secret },
      body: JSON.stringify({ sharedRegistry: true }),
    });
    expect(opened.status).toBe(200);
    await expect.poll(() => a.textContent('[data-workshop-registry]')).toContain('needs the sandbox');
    expect(await a.isVisible('[data-workshop-registry]')).toBe(true);
    const ada = async () => (await classOf(site, workshopId, secret)).find((l) => l.displayName === 'Ada');
    await expect
      .poll(async () => (await ada())?.position, { timeout: 15_000 })
      .toMatchObject({ lesson: '06-containers', step: 1, commands: 2, failedCommands: 1, lastCommand: 'docker rm nothing-here' });
    expect(await axeViolations(a)).toEqual([]);

    // Learner B types the code (in another case and spacing) on the Korean page, with a hostile name.
    const hostile = '<img src=x onerror="window.__pwned=1">';
    const b = await (await context()).newPage();
    const bErrors = collectErrors(b);
    await b.goto(`${site}/ko/workshop/`);
    await b.fill('#join-code', ` ${joinCode.toLowerCase().replace('-', ' ')} `);
    await b.fill('#join-name', hostile);
    await b.click('[data-join-form] button[type="submit"]');
    await b.waitForURL(`${site}/ko/lessons/06-containers/`);
    await b.waitForSelector('ll-workshop-bar:not([hidden])');
    expect(await b.textContent('[data-workshop-place]')).toBe('레슨 1 / 2');
    await b.goto(`${site}/ko/workshop/`);
    // The name is text wherever the page shows it: no element made of it, no script run.
    await expect.poll(() => b.textContent('[data-seat-text]')).toContain(hostile);
    expect(await b.locator('[data-seat] img').count()).toBe(0);
    expect(await b.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await axeViolations(b)).toEqual([]);
    const names = (await classOf(site, workshopId, secret)).map((l) => l.displayName).sort();
    expect(names).toEqual([hostile, 'Ada'].sort());

    // A reload resumes the same learner (the resume route, no new join); so does the join link opened again.
    const before = await seatOf(a);
    const resumed = a.waitForResponse((res) => res.url().endsWith(`/learners/${before!.learnerId}/resume`) && res.status() === 200);
    await a.reload();
    await resumed;
    await a.waitForSelector('ll-workshop-bar:not([hidden])');
    expect(await seatOf(a)).toEqual(before);
    await a.goto(joinLink);
    await a.waitForURL(`${site}/en/lessons/06-containers/`);
    expect((await classOf(site, workshopId, secret)).length).toBe(2);
    // The next lesson in the workshop's order, still in workshop mode.
    await a.click('[data-workshop-next] a');
    await a.waitForURL(`${site}/en/lessons/01-what-is-docker/`);
    await expect.poll(() => a.textContent('[data-workshop-place]')).toBe('Lesson 2 of 2');
    expect(await a.textContent('[data-workshop-next]')).toBe("This is the workshop's last lesson.");
    await expect.poll(async () => (await ada())?.position.lesson, { timeout: 15_000 }).toBe('01-what-is-docker');

    // Leaving the workshop: the lesson page is a lesson page again.
    await a.click('[data-workshop-leave]');
    await a.waitForLoadState('load');
    await expect.poll(() => a.isHidden('ll-workshop-bar')).toBe(true);
    expect(await seatOf(a)).toBeNull();

    expect([...aErrors, ...bErrors]).toEqual([]);
    for (const made of contexts) await made.close();
  });

  it('the Korean page is axe-clean and a join link fills the code in', async () => {
    const page = await browser().newPage();
    const errors = collectErrors(page);
    await page.goto(`${site}/ko/workshop/#join=ABCD-EFGH`);
    expect(await page.inputValue('#join-code')).toBe('ABCD-EFGH');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('join-name');
    await page.fill('#join-name', 'Bo');
    await page.click('[data-join-form] button[type="submit"]');
    await expect.poll(() => page.textContent('[data-join-error]')).toBe('이 참가 코드의 워크숍이 없어요. 코드를 다시 확인해 주세요.');
    expect(await axeViolations(page)).toEqual([]);
    // The refused join is the page's answer, not an error of the page's own.
    expect(errors.filter((e) => !e.includes('404'))).toEqual([]);
    await page.close();
  });
});
