import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chainIds, type Digest } from '../../src/engine/digest.js';
import { collectErrors, useBrowser } from '../support/browser.js';
import { missingBrowserPrereqs, missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';
import { useSandboxSite } from '../support/site-server.js';
import { typeDockerfile } from '../editor/editor-page.js';

/** Three RUN steps that each take a second, on both backends' real-time clocks. */
const DOCKERFILE = ['FROM busybox', 'RUN sleep 1 && echo a > /a', 'RUN sleep 1 && echo b > /b', 'RUN sleep 1 && echo c > /c', 'CMD ["cat", "/c"]'];

interface Sample {
  t: number;
  count: number;
  building: boolean;
  keys: string[];
  finished: boolean;
  /** The `seq` of the engine state drawn (ll-picture's data-seq). */
  seq: number;
}

/**
 * Samples the drawn graph every 25 ms from inside the page: layer nodes (by the key d3
 * joined them on), whether a building image is drawn, and whether the terminal has
 * printed the build's last line yet. Remembers the element drawn for each key while
 * the build ran, to tell later whether the finished image kept it.
 */
async function startSampling(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __samples: Sample[]; __buildNodes: Map<string, Element>; __stop: () => void };
    w.__samples = [];
    w.__buildNodes = new Map();
    const tick = () => {
      const layers = [...document.querySelectorAll('ll-picture g.layer-graph__layer:not(.is-exiting)')];
      const keys = layers.map((el) => (el as Element & { __data__: { key: string } }).__data__.key);
      const building = document.querySelector('ll-picture g.layer-graph__image.is-building:not(.is-exiting)') !== null;
      if (building) layers.forEach((el, i) => w.__buildNodes.set(keys[i]!, el));
      const finished = (document.querySelector('ll-terminal [data-output]')?.textContent ?? '').includes('naming to docker.io/library/my-image');
      const seq = Number(document.querySelector('ll-picture')?.getAttribute('data-seq') ?? -1);
      w.__samples.push({ t: performance.now(), count: layers.length, building, keys, finished, seq });
    };
    const timer = setInterval(tick, 25);
    w.__stop = () => clearInterval(timer);
  });
}

/** Whether each layer node drawn now is the very element the build drew for its key. */
const keptNodes = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as { __buildNodes: Map<string, Element>; __stop: () => void };
    w.__stop();
    return [...document.querySelectorAll('ll-picture g.layer-graph__layer:not(.is-exiting)')].map((el) => {
      const key = (el as Element & { __data__: { key: string } }).__data__.key;
      return { key, same: w.__buildNodes.get(key) === el };
    });
  });

/** The built image's chainIDs, from `docker image inspect` in the page's own terminal. */
async function imageChain(page: Page): Promise<string[]> {
  await page.evaluate(
    (l) => (document.querySelector('ll-terminal') as HTMLElement & { runCommands(l: string[]): Promise<void> }).runCommands(l),
    [`docker image inspect --format '{{json .RootFS.Layers}}' my-image`],
  );
  const out = (await page.locator('ll-terminal [data-output] pre.out').last().textContent()) ?? '';
  // OCI image spec: the graph's keys are chainIDs, which Docker derives from the diffIDs.
  return chainIds(JSON.parse(out) as Digest[]);
}

async function buildAndWatch(page: Page, site: string) {
  await page.goto(`${site}/en/playground/`);
  await page.waitForSelector('ll-editor[data-ready]', { timeout: 60_000 });
  await expect.poll(() => page.isEnabled('ll-editor [data-build]'), { timeout: 60_000 }).toBe(true);
  await expect.poll(() => page.locator('ll-picture g.layer-graph__layer').count(), { timeout: 20_000 }).toBe(1);
  await typeDockerfile(page, DOCKERFILE);
  await startSampling(page);
  await page.click('ll-editor [data-build]');
  await expect.poll(() => page.textContent('ll-terminal [data-output]'), { timeout: 60_000 }).toContain('naming to docker.io/library/my-image');
  // Waits on the order of snapshots, not on time: a command run after the build makes the
  // picture ask for a state whose seq is past every build event; once that state is drawn,
  // no later build snapshot can still be on its way, and the graph must be final as it is.
  const drawnSeq = async () => Number(await page.getAttribute('ll-picture', 'data-seq'));
  const before = await drawnSeq();
  const chain = await imageChain(page);
  await expect.poll(drawnSeq, { timeout: 20_000 }).toBeGreaterThan(before);
  expect(await page.locator('ll-picture g.layer-graph__image.is-building:not(.is-exiting)').count()).toBe(0);
  expect(await page.locator('ll-picture g.layer-graph__layer:not(.is-exiting)').count()).toBe(4);
  const kept = await keptNodes(page);
  const samples = await page.evaluate(() => (window as unknown as { __samples: Sample[] }).__samples);
  return { kept, samples, chain };
}

/** What every backend must show: one more layer per RUN while the build runs, and the image keeping the build's nodes. */
function expectGrowth({ kept, samples, chain }: Awaited<ReturnType<typeof buildAndWatch>>) {
  const whileBuilding = samples.filter((s) => s.building && !s.finished);
  const counts = [...new Set(whileBuilding.map((s) => s.count))];
  // busybox's layer, then one per RUN, each seen before the build's last line was printed.
  expect(counts).toEqual([1, 2, 3, 4].slice(0, counts.length));
  expect(counts.slice(0, 3)).toEqual([1, 2, 3]);
  // How far apart the layers appeared (RUN sleep 1: about a second), reported, not asserted: a loaded machine delays a snapshot.
  const firstAt = (n: number) => whileBuilding.find((s) => s.count === n)!.t;
  expect(kept.map((k) => k.key)).toEqual(chain);
  // Every node the build drew is the one the finished image has: d3 joined on the same keys.
  for (const s of whileBuilding) for (const key of s.keys) expect(kept.find((k) => k.key === key)).toEqual({ key, same: true });
  expect(samples.at(-1)).toMatchObject({ building: false, count: 4 });
  // The drawn states only ever move forward: a snapshot older than the one shown is never drawn.
  const seqs = samples.map((s) => s.seq).filter((seq) => seq >= 0);
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  return {
    gaps: [firstAt(2), firstAt(3), ...(counts.includes(4) ? [firstAt(4)] : [])].map((t, i, a) => (i ? Math.round(t - a[i - 1]!) : 0)).slice(1),
  };
}

describe.skipIf(!requirePrereqs('browser', missingBrowserPrereqs()))('the layer graph during a build, on the simulator', () => {
  const browser = useBrowser();
  const site = inject('siteUrl');

  it("grows one layer per finished RUN before the build ends; the image keeps the build's nodes", { timeout: 90_000 }, async () => {
    const page = await browser().newPage();
    const errors = collectErrors(page);
    const watched = await buildAndWatch(page, site);
    const { gaps } = expectGrowth(watched);
    console.info(`simulator: layer nodes appeared ${gaps.join(' ms, ')} ms apart`);
    expect(errors).toEqual([]);
    await page.close();
  });
});

// The same on real containers: the build's events over the session WebSocket, its snapshots over HTTP.
describe.skipIf(!requirePrereqs('browser + linux', [...missingBrowserPrereqs(), ...missingLinuxPrereqs()]))(
  'the layer graph during a build, on the sandbox (root)',
  () => {
    const browser = useBrowser();
    const server = useSandboxSite('layerlab-h7-graph-build-');

    it("grows one layer per finished RUN before the build ends; the image keeps the build's nodes", { timeout: 180_000 }, async () => {
      const page = await browser().newPage();
      const errors = collectErrors(page);
      const watched = await buildAndWatch(page, server.url);
      expect(await page.getAttribute('ll-backend-badge', 'data-backend')).toBe('linux');
      const { gaps } = expectGrowth(watched);
      console.info(`sandbox: layer nodes appeared ${gaps.join(' ms, ')} ms apart`);
      expect(errors).toEqual([]);
      await page.close();
    });
  },
);
