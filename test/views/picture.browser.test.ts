import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chainIds, type Digest } from '../../src/engine/digest.js';
import { launchBrowser, collectErrors } from '../support/browser.js';
import { missingBrowserPrereqs, requirePrereqs } from '../support/prereqs.js';

const run = requirePrereqs('browser', missingBrowserPrereqs());
// Screenshots are for a person to look at, not a pixel oracle: they go where the run says.
const shots = process.env.LAYERLAB_SCREENSHOTS ?? join(tmpdir(), 'layerlab-screenshots');

const axeSource = readFileSync('node_modules/axe-core/axe.min.js', 'utf8');

/** axe-core's WCAG 2.1 A/AA violations inside `<ll-picture>`, as `rule: selector` lines. */
async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run(ctx: Element, opts: object): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }
    ).axe;
    const result = await axe.run(document.querySelector('ll-picture')!, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
  });
}

/** A short lesson-like script: a run that writes, a commit, containers in three states. */
const SCRIPT = [
  'docker run --name writer busybox sh -c "echo hi > /hi.txt"',
  'docker commit writer snap',
  'docker run -d --name server snap sleep 300',
  'docker create --name idle busybox',
  'docker pause server',
];

/** Runs lines in the page's terminal as if typed; resolves when they have all run. */
async function runInTerminal(page: Page, lines: string[]): Promise<void> {
  await page.evaluate(
    (l) => (document.querySelector('ll-terminal') as HTMLElement & { runCommands(l: string[]): Promise<void> }).runCommands(l),
    lines,
  );
}

/** What the last command printed on stdout. */
async function lastOutput(page: Page, line: string): Promise<string> {
  await runInTerminal(page, [line]);
  return (await page.locator('ll-terminal [data-output] pre.out').last().textContent()) ?? '';
}

interface Expected {
  images: { id: string; chain: string[] }[];
  containers: { id: string; name: string; imageId: string; status: string }[];
}

/** The engine's state as Docker's own CLI reports it: image layers by diffID, containers' images and states. */
async function engineState(page: Page): Promise<Expected> {
  const images = (await lastOutput(page, `docker image inspect --format '{{.Id}} {{json .RootFS.Layers}}' busybox snap`))
    .trim()
    .split('\n')
    .map((line) => {
      const [id, layers] = line.split(' ', 2) as [string, string];
      // OCI image spec: the graph is keyed by chainID, which Docker derives from the diffIDs.
      return { id, chain: chainIds(JSON.parse(layers) as Digest[]) as string[] };
    });
  const containers = (await lastOutput(page, `docker inspect --format '{{.Id}} {{.Name}} {{.Image}} {{.State.Status}}' writer server idle`))
    .trim()
    .split('\n')
    .map((line) => {
      const [id, name, imageId, status] = line.split(' ') as [string, string, string, string];
      return { id, name: name.replace(/^\//, ''), imageId, status };
    });
  return { images, containers };
}

interface Drawn {
  layers: { key: string; row: number; col: number }[];
  images: { key: string; topKey: string | null }[];
  containers: { key: string; parentKey: string | null; row: number; col: number; className: string; style: string | null }[];
  edges: string[];
}

/** The nodes `<ll-picture>` drew, by the data d3 bound to them (its `__data__`). */
function drawn(page: Page): Promise<Drawn> {
  return page.evaluate(() => {
    const all = <D>(selector: string) =>
      [...document.querySelectorAll(`ll-picture ${selector}:not(.is-exiting)`)].map((el) => ({ el, d: (el as Element & { __data__: D }).__data__ }));
    type Node = { key: string; row: number; col: number; topKey: string | null; parentKey: string | null };
    return {
      layers: all<Node>('g.layer-graph__layer').map(({ d }) => ({ key: d.key, row: d.row, col: d.col })),
      images: all<Node>('g.layer-graph__image').map(({ d }) => ({ key: d.key, topKey: d.topKey })),
      containers: all<Node>('g.layer-graph__container').map(({ el, d }) => ({
        key: d.key,
        parentKey: d.parentKey,
        row: d.row,
        col: d.col,
        className: el.getAttribute('class') ?? '',
        style: el.getAttribute('style'),
      })),
      edges: all<{ key: string }>('path.layer-graph__edge').map(({ d }) => d.key),
    };
  });
}

async function openLesson(
  browser: Browser,
  url: string,
  options: { colorScheme?: 'light' | 'dark'; reducedMotion?: 'reduce' | 'no-preference' } = {},
) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, ...options });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(url);
  await expect.poll(() => page.isEnabled('ll-terminal input'), { timeout: 20_000 }).toBe(true);
  return { context, page, errors };
}

describe.skipIf(!run)('the picture beside the terminal', () => {
  let browser: Browser;
  const site = inject('siteUrl');
  beforeAll(async () => {
    browser = await launchBrowser();
    mkdirSync(shots, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("draws what the engine holds: each layer once by chainID, each container on its image's top layer, states as classes", async () => {
    const { context, page, errors } = await openLesson(browser, `${site}/en/lessons/06-containers/`, { reducedMotion: 'reduce' });
    await runInTerminal(page, SCRIPT);
    const expected = await engineState(page);
    expect(expected.images).toHaveLength(2);
    expect(expected.containers.map((c) => c.status)).toEqual(['exited', 'paused', 'created']);

    const layerKeys = [...new Set(expected.images.flatMap((i) => i.chain))].sort();
    // The picture refetches after the last command: wait until it has drawn the final state.
    await expect
      .poll(async () => (await drawn(page)).containers.map((c) => c.className.match(/container--(\w+)/)?.[1]).join(), { timeout: 10_000 })
      .toBe('exited,paused,created');
    const d = await drawn(page);

    const drawnLayers = d.layers.map((l) => l.key);
    expect(drawnLayers.length).toBe(new Set(drawnLayers).size);
    expect([...drawnLayers].sort()).toEqual(layerKeys);
    // busybox's layer is snap's base: one node, shared by both images.
    expect(layerKeys).toHaveLength(2);
    expect(await page.locator('ll-picture g.layer-graph__layer.is-shared').count()).toBe(1);

    expect(d.images.map((i) => i.key).sort()).toEqual(expected.images.map((i) => i.id).sort());
    for (const image of expected.images) expect(d.images.find((i) => i.key === image.id)!.topKey).toBe(image.chain.at(-1));

    expect(d.containers.map((c) => c.key).sort()).toEqual(expected.containers.map((c) => c.id).sort());
    for (const c of expected.containers) {
      const node = d.containers.find((n) => n.key === c.id)!;
      const top = expected.images.find((i) => i.id === c.imageId)!.chain.at(-1)!;
      const topNode = d.layers.find((l) => l.key === top)!;
      expect(node.parentKey, c.name).toBe(top);
      expect(node.className, c.name).toContain(`container--${c.status}`);
      // Docker: the writable layer is the upper dir over the image's layers, so it is drawn above them.
      expect(node.row, c.name).toBeGreaterThan(topNode.row);
      expect(d.edges, c.name).toContain(`${top}>${c.id}`);
      // prefers-reduced-motion: nothing fades in.
      expect(node.style, c.name).toBeNull();
    }

    // The text alternative lists the same things.
    expect(await page.locator('ll-picture table.state-table--layers tbody tr').count()).toBe(layerKeys.length);
    expect(await page.locator('ll-picture table.state-table--containers tbody tr').count()).toBe(expected.containers.length);

    // Every node, table and panel passes axe, with containers in three states drawn and the tables open.
    await page.click('ll-picture .picture__tables summary');
    await page.getByRole('button', { name: /^Container server/ }).click();
    expect(await axeViolations(page)).toEqual([]);

    // States change as commands run: the paused container turns running in place.
    await runInTerminal(page, ['docker unpause server']);
    const server = expected.containers.find((c) => c.name === 'server')!;
    await expect.poll(async () => (await drawn(page)).containers.find((c) => c.key === server.id)?.className).toContain('container--running');
    expect(errors).toEqual([]);
    await context.close();
  });

  // Issue 16: the session's volumes in the picture, each container's mount of one drawn as a link to it.
  it.each(['en', 'ko'] as const)(
    '%s: a volume is drawn beside the containers, a dotted link from each container that mounts it, gone with the container',
    async (locale) => {
      const { context, page, errors } = await openLesson(browser, `${site}/${locale}/lessons/13-volumes/`, { reducedMotion: 'reduce' });
      await runInTerminal(page, [
        'docker volume create notes',
        "docker run --name writer -v notes:/data busybox sh -c 'echo hello > /data/notes.txt'",
        'docker run --name reader -v notes:/data:ro busybox cat /data/notes.txt',
      ]);
      const volume = page.locator('ll-picture g.layer-graph__volume[data-volume="notes"]');
      await expect.poll(() => volume.count(), { timeout: 10_000 }).toBe(1);
      const ids = Object.fromEntries(
        (await lastOutput(page, "docker ps -a --no-trunc --format '{{.Names}} {{.ID}}'"))
          .trim()
          .split('\n')
          .map((l) => l.split(' ')),
      ) as Record<string, string>;
      const links = () =>
        page.$$eval('ll-picture path.layer-graph__edge--volume', (ps) =>
          ps.map((p) => (p as SVGPathElement & { __data__: { key: string } }).__data__.key).sort(),
        );
      await expect.poll(links).toEqual([`${ids.reader}>volume:notes`, `${ids.writer}>volume:notes`].sort());
      expect(await volume.textContent()).toContain('notes');
      expect(await volume.getAttribute('aria-label')).toMatch(
        locale === 'en' ? /^Volume notes, outside every layer: mounted by .*writer:\/data/ : /^볼륨 notes: .*reader:\/data:ro/,
      );
      // Drawn above the containers that mount it.
      const y = (sel: string) =>
        page
          .locator(sel)
          .first()
          .evaluate((el) => el.getBoundingClientRect().top);
      expect(await y('ll-picture g.layer-graph__volume')).toBeLessThan(await y('ll-picture g.layer-graph__container'));
      expect(await axeViolations(page)).toEqual([]);

      await runInTerminal(page, ['docker rm writer']);
      await expect.poll(links).toEqual([`${ids.reader}>volume:notes`]);
      await runInTerminal(page, ['docker rm reader', 'docker volume rm notes']);
      await expect.poll(() => volume.count()).toBe(0);
      expect(errors).toEqual([]);
      await context.close();
    },
  );

  it('a selected container shows its files (the written file as added) and, labelled simulated, its overlay mount', async () => {
    const { context, page, errors } = await openLesson(browser, `${site}/en/lessons/06-containers/`, { reducedMotion: 'reduce' });
    await runInTerminal(page, SCRIPT.slice(0, 3));
    const writer = page.locator('ll-picture g.layer-graph__container', { hasText: 'writer' });
    await expect.poll(() => writer.count(), { timeout: 10_000 }).toBe(1);
    // Keyboard users select the way pointer users do.
    await writer.focus();
    await page.keyboard.press('Enter');
    const added = page.locator('ll-picture [data-tree] li.file-tree__entry--added');
    await expect.poll(() => added.allTextContents()).toEqual([expect.stringMatching(/^hi\.txt\s*3B/)]);
    expect(await page.getAttribute('ll-picture [data-tree] ul', 'aria-label')).toBe('Files of writer');
    // A node's accessible name (its <title>) says what the box shows, in words.
    expect(await page.getByRole('button', { name: /^Container writer \(\w{12}\): exited, 1 change/ }).getAttribute('class')).toContain('is-selected');

    // The server container runs on snap (two layers): its mount stacks both under its upper dir.
    await page.click('ll-picture .picture__tables summary');
    await page.getByRole('button', { name: /^Select \w{12} server$/ }).click();
    const hood = page.locator('ll-picture [data-hood]');
    // The picture draws the new selection in a frame to come (it draws after paint): the writer's hood until then.
    await expect.poll(() => page.textContent('ll-picture [data-hood-title]')).toBe('Under the hood: server');
    expect(await hood.getAttribute('data-simulated')).toBe('true');
    expect(await hood.locator('.hood__badge').textContent()).toContain('Simulated');
    const line = (await hood.locator('dd code').first().textContent()) ?? '';
    expect(line).toMatch(/^overlay \S+ overlay lowerdir=[^,:]+:[^,:]+,upperdir=\S+,workdir=\S+ 0 0$/);
    expect(await hood.locator('.hood__lower li').count()).toBe(2);
    expect(await hood.locator('.hood__upper').textContent()).toBeTruthy();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('speaks Korean on a Korean page', async () => {
    const { context, page, errors } = await openLesson(browser, `${site}/ko/lessons/06-containers/`, { reducedMotion: 'reduce' });
    await runInTerminal(page, ['docker create --name idle busybox']);
    const idle = page.locator('ll-picture g.layer-graph__container', { hasText: 'idle' });
    await expect.poll(() => idle.count(), { timeout: 10_000 }).toBe(1);
    expect(await page.getByRole('button', { name: /^컨테이너 idle \(\w{12}\): 생성됨, 쓰기 가능 레이어의 변경 0개$/ }).count()).toBe(1);
    expect(await page.textContent('ll-picture .picture__title')).toBe('명령이 만든 것');
    expect(await page.textContent('ll-picture table.state-table--images caption')).toBe('이미지');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('takes screenshots of the graph in the light and the dark theme', async () => {
    const files: Buffer[] = [];
    const background: string[] = [];
    for (const theme of ['light', 'dark'] as const) {
      const { context, page, errors } = await openLesson(browser, `${site}/en/lessons/06-containers/`, {
        colorScheme: theme,
        reducedMotion: 'reduce',
      });
      await runInTerminal(page, [...SCRIPT, 'docker run --name other busybox touch /a /b']);
      await expect.poll(async () => (await drawn(page)).containers.length, { timeout: 10_000 }).toBe(4);
      const box = page.locator('ll-picture .picture__graph-box');
      await box.scrollIntoViewIfNeeded();
      background.push(await page.locator('ll-picture svg.layer-graph').evaluate((svg) => getComputedStyle(svg).backgroundColor));
      files.push(await box.screenshot({ path: join(shots, `layer-graph-${theme}.png`) }));
      expect(errors).toEqual([]);
      await context.close();
    }
    // views.css: --ll-bg is #ffffff light, #12151c dark.
    expect(background).toEqual(['rgb(255, 255, 255)', 'rgb(18, 21, 28)']);
    expect(files[0]!.equals(files[1]!)).toBe(false);
  });
});
