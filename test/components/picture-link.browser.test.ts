import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations } from '../support/axe.js';
import { collectErrors, useBrowser } from '../support/browser.js';
import { missingBrowserPrereqs, missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';
import { useSandboxSite } from '../support/site-server.js';

const run = requirePrereqs('browser', missingBrowserPrereqs());
// Screenshots are for a person to look at, not a pixel oracle: they go where the run says.
const shots = process.env.LAYERLAB_SCREENSHOTS ?? join(tmpdir(), 'layerlab-screenshots');

async function openPlayground(browser: Browser, url: string, colorScheme: 'light' | 'dark' = 'light') {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, colorScheme, reducedMotion: 'reduce' });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(url);
  await page.waitForSelector('ll-editor[data-ready]', { timeout: 20_000 });
  await expect.poll(() => page.isEnabled('ll-terminal input'), { timeout: 20_000 }).toBe(true);
  return { context, page, errors };
}

/** The playground's own Dockerfile, built with its Build button; its annotations by line. */
async function buildStarter(page: Page): Promise<Map<number, { kind: string; diffId: string | undefined }>> {
  await page.click('ll-editor [data-build]');
  await expect.poll(() => page.locator('ll-editor [data-annotations] li').count(), { timeout: 20_000 }).toBe(5);
  await expect.poll(() => page.textContent('ll-editor [data-status]'), { timeout: 20_000 }).toContain('my-image');
  const items = await page.$$eval('ll-editor [data-annotations] li', (lis) =>
    lis.map((li) => ({
      line: Number((li as HTMLElement).dataset.line),
      kind: (li as HTMLElement).dataset.kind!,
      diffId: (li as HTMLElement).dataset.diffId,
    })),
  );
  return new Map(items.map((a) => [a.line, { kind: a.kind, diffId: a.diffId }]));
}

/** The graph's layer node for a diffID: its box shows the diffID's 12 hex. */
const layerNode = (page: Page, diffId: string) =>
  page.locator('ll-picture g.layer-graph__layer:not(.is-exiting)', { has: page.locator('text.layer-graph__id', { hasText: diffId.slice(7, 19) }) });

/** The text of the editor line Monaco draws the selection on (the overlay and the line share a `top`). */
const selectedLine = (page: Page) =>
  page.evaluate(() => {
    const selection = document.querySelector('ll-editor .monaco .selected-text');
    const top = (selection?.parentElement as HTMLElement | null)?.style.top;
    if (!top) return null;
    const line = [...document.querySelectorAll<HTMLElement>('ll-editor .monaco .view-line')].find((l) => l.style.top === top);
    return line?.textContent?.replace(/\u00a0/g, ' ') ?? null;
  });

/** `docker run -d` in the terminal, then the container chosen in the graph; its hood panel once it lists 7 namespaces. */
async function runAndSelect(page: Page, timeout = 10_000) {
  await page.fill('ll-terminal input', 'docker run -d --name web busybox sleep 300');
  await page.press('ll-terminal input', 'Enter');
  const web = page.locator('ll-picture g.layer-graph__container', { hasText: 'web' });
  await expect.poll(() => web.count(), { timeout }).toBe(1);
  await web.click();
  const hood = page.locator('ll-picture [data-hood]');
  await expect.poll(() => hood.locator('table.hood__ns tbody tr').count(), { timeout }).toBe(7);
  return { web, hood };
}

describe.skipIf(!run)('the picture and the editor point at each other', () => {
  const browser = useBrowser();
  const site = inject('siteUrl');

  it('hovering an annotated line lights its layer; choosing a layer in the graph selects the line that made it', async () => {
    const { context, page, errors } = await openPlayground(browser(), `${site}/en/playground/`);
    const notes = await buildStarter(page);
    const copy = notes.get(3)!;
    const runStep = notes.get(4)!;
    expect([copy.kind, runStep.kind]).toEqual(['layer', 'layer']);
    const lit = page.locator('ll-picture g.layer-graph__layer.is-linked');

    // The pointer on line 3 inside Monaco lights the COPY layer, and only it; leaving clears it.
    await expect.poll(() => layerNode(page, copy.diffId!).count(), { timeout: 10_000 }).toBe(1);
    await page.locator('ll-editor .monaco .view-line').nth(2).hover();
    await expect.poll(() => lit.count()).toBe(1);
    expect(await layerNode(page, copy.diffId!).getAttribute('class')).toContain('is-linked');
    await page.hover('ll-picture .picture__title');
    await expect.poll(() => lit.count()).toBe(0);
    // The annotation list outside the canvas does the same.
    await page.hover('ll-editor [data-annotations] li[data-line="4"]');
    await expect.poll(() => layerNode(page, runStep.diffId!).getAttribute('class')).toContain('is-linked');
    await page.locator('ll-picture .picture__graph-box').screenshot({ path: join(shots, 'layer-graph-linked-light.png') });
    await page.hover('ll-picture .picture__title');
    await expect.poll(() => lit.count()).toBe(0);

    // Clicking the RUN layer selects line 4 in the editor and the layer in the picture.
    await layerNode(page, runStep.diffId!).click();
    await expect.poll(() => selectedLine(page)).toMatch(/^RUN wc -c hello\.txt > size\.txt +layer /);
    expect(await layerNode(page, runStep.diffId!).getAttribute('class')).toContain('is-selected');
    // Enter on the COPY layer does the same for line 3, and the keyboard stays in the graph.
    await layerNode(page, copy.diffId!).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => selectedLine(page)).toMatch(/^COPY hello\.txt \. +layer /);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('class') ?? '')).toContain('layer-graph__layer');
    expect(errors).toEqual([]);
    await context.close();
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`shows a running container's host PID and namespaces, labelled simulated (${theme}, screenshot)`, async () => {
      const { context, page, errors } = await openPlayground(browser(), `${site}/en/playground/`, theme);
      const { hood } = await runAndSelect(page);
      expect(await hood.getAttribute('data-simulated')).toBe('true');
      expect(await hood.locator('.hood__badge').textContent()).toMatch(/^Simulated: .*host PID and namespaces/);
      const pid = await hood.locator('dt', { hasText: 'PID on the host' }).locator('xpath=following-sibling::dd[1]').textContent();
      expect(Number(pid)).toBeGreaterThan(1);
      const rows = await hood.locator('table.hood__ns tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
      expect(rows.map(([type, , whose]) => `${type} ${whose}`)).toEqual([
        'pid its own',
        'net its own',
        'mnt its own',
        'uts its own',
        'ipc its own',
        'cgroup shared with the host',
        'user its own',
      ]);
      for (const [type, link] of rows) expect(link).toMatch(new RegExp(`^${type}:\\[\\d+\\]$`));
      expect(await hood.locator('table.hood__ns caption').textContent()).toBe('Namespaces of its process');
      expect(await hood.locator('.hood__ns-summary').textContent()).toBe(
        'Its own: pid, net, mnt, uts, ipc, user. Shared with the host: cgroup. A process in the container sees only what its own namespaces hold.',
      );
      // Best practices too: the files' scroll box once a container is chosen made a second region of one name (landmark-unique).
      expect(await axeViolations(page, 'minor', { bestPractice: true })).toEqual([]);
      await hood.scrollIntoViewIfNeeded();
      await hood.screenshot({ path: join(shots, `hood-namespaces-${theme}.png`) });
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it('speaks Korean on a Korean page', async () => {
    const { context, page, errors } = await openPlayground(browser(), `${site}/ko/playground/`);
    const { hood } = await runAndSelect(page);
    await expect.poll(() => hood.locator('table.hood__ns caption').textContent(), { timeout: 10_000 }).toBe('프로세스의 네임스페이스');
    expect(await hood.locator('tr[data-type="pid"] td').last().textContent()).toBe('이 컨테이너만의 것');
    expect(await hood.locator('tr[data-type="cgroup"] td').last().textContent()).toBe('호스트와 공유');
    expect(await hood.locator('.hood__ns-summary').textContent()).toContain('호스트와 공유: cgroup');
    expect(errors).toEqual([]);
    await context.close();
  });
});

// The same panel on real containers: a server of its own with the sandbox on (as
// test/editor/editor-sandbox.browser.test.ts does); the numbers are the kernel's.
describe.skipIf(!requirePrereqs('browser + linux', [...missingBrowserPrereqs(), ...missingLinuxPrereqs()]))(
  'the under-the-hood panel on the sandbox (root)',
  () => {
    const browser = useBrowser();
    const server = useSandboxSite('layerlab-hood-sandbox-');

    it("shows the running init's real host PID and namespaces, labelled real (screenshot)", { timeout: 120_000 }, async () => {
      const { context, page, errors } = await openPlayground(browser(), `${server.url}/en/playground/`);
      expect(await page.getAttribute('ll-backend-badge', 'data-backend')).toBe('linux');
      const { web, hood } = await runAndSelect(page, 30_000);
      expect(await hood.getAttribute('data-simulated')).toBe('false');
      expect(await hood.locator('.hood__badge').textContent()).toMatch(/^Real: /);
      const own = await hood.locator('tr.hood__ns-row--own').evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.type));
      // The server's default user namespace (LAYERLAB_USERNS); cgroup is the host's, as Docker's on cgroup v1.
      expect(own).toEqual(['pid', 'net', 'mnt', 'uts', 'ipc', 'user']);
      expect(await hood.locator('tr[data-type="cgroup"]').getAttribute('class')).toContain('hood__ns-row--host');
      await hood.scrollIntoViewIfNeeded();
      await hood.screenshot({ path: join(shots, 'hood-namespaces-real-light.png') });
      await page.fill('ll-terminal input', 'docker rm -f web');
      await page.press('ll-terminal input', 'Enter');
      await expect.poll(() => web.count(), { timeout: 30_000 }).toBe(0);
      expect(errors).toEqual([]);
      await context.close();
    });
  },
);
