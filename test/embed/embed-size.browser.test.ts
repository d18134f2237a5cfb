import { gzipSync } from 'node:zlib';
import { describe, expect, inject, it } from 'vitest';
import { collectErrors, useBrowser } from '../support/browser.js';
import { useOtherOrigin } from '../support/other-origin.js';
import { missingBrowserPrereqs, requirePrereqs } from '../support/prereqs.js';

const run = requirePrereqs('browser', missingBrowserPrereqs());

/**
 * Issue 15's budget: a widget is interactive on less than 200 KB of gzipped JavaScript, all in the
 * entry's one file. The builder with its Dockerfile parser and completion are not in it: each is
 * fetched when the reader first needs it (`docker build`, Tab).
 */
describe.skipIf(!run)('what one embed fetches', () => {
  const browser = useBrowser();
  const site = inject('siteUrl');
  const host = useOtherOrigin(
    (s) => ({
      '/': {
        type: 'text/html',
        body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>one</title><script type="module" src="${s}/embed/v1/layerlab.js"></script></head>
<body><layerlab-playground lang="en"><script type="text/plain" data-file="Dockerfile">FROM busybox
RUN echo built > /b</script></layerlab-playground></body></html>`,
      },
      '/favicon.ico': { body: '', type: 'image/x-icon' },
    }),
    () => site,
  );

  it('is interactive on less than 200 KB of gzipped JS; the builder and its Dockerfile parser come with the first build, completion with the first Tab', async () => {
    const p = await browser().newPage();
    const errors = collectErrors(p);
    const scripts: { url: string; gz: Promise<number> }[] = [];
    p.on('response', (res) => {
      if (res.request().resourceType() !== 'script') return;
      scripts.push({ url: res.url(), gz: res.body().then((b) => gzipSync(b).length) });
    });
    const file = (url: string) => new URL(url).pathname.split('/').at(-1)!;
    const fetched = (name: string) => scripts.filter((s) => file(s.url).startsWith(`${name}-`)).length;
    await p.goto(`${host.url}/`);
    const input = p.locator('ll-terminal input');
    await expect.poll(() => input.isEnabled(), { timeout: 30_000 }).toBe(true);
    const total = (await Promise.all(scripts.map((s) => s.gz))).reduce((a, b) => a + b, 0);
    expect(total).toBeLessThan(200 * 1024);
    expect([fetched('build.run'), fetched('completion'), fetched('tty-view')]).toEqual([0, 0, 0]);
    // …in one file, the entry: the widgets' code, the simulator's start, the CLI's flag reader and both catalogs
    // (build-embed.mjs's startModules) — no request more, no file found only once another has been fetched and run.
    expect(scripts.map((s) => file(s.url))).toEqual(['layerlab.js']);
    await input.fill('docker build -q -t b .');
    await input.press('Enter');
    await input.fill('docker run --rm b cat /b');
    await input.press('Enter');
    await expect.poll(() => p.locator('ll-terminal [data-output]').textContent(), { timeout: 30_000 }).toMatch(/cat \/b\s*built\s*$/);
    expect(fetched('build.run')).toBe(1);
    expect(fetched('completion')).toBe(0);
    await input.fill('docker insp');
    await input.press('Tab');
    await expect.poll(() => input.inputValue()).toBe('docker inspect ');
    expect(fetched('completion')).toBe(1);
    // The catalog a widget fetches leaves the pages' strings out (build-embed.mjs), none of its own: no key shows as itself.
    const words = await p.locator('layerlab-playground').evaluate((el) => {
      const root = el.shadowRoot!;
      const labels = [...root.querySelectorAll('[aria-label], [title], [placeholder]')].map((n) =>
        ['aria-label', 'title', 'placeholder'].map((a) => n.getAttribute(a) ?? '').join(' '),
      );
      return [(root.firstElementChild as HTMLElement).innerText, ...labels].join('\n');
    });
    expect(words).toContain('built');
    expect(words.match(/\b(embed|terminal|picture|error|backend|lesson|playground|vm|nav)\.[a-z][A-Za-z.]+/g)).toBeNull();
    expect(errors).toEqual([]);
    await p.close();
  });
  it("takes keys in a frame the picture's first draw does not hold back; the picture draws right after", async () => {
    const p = await browser().newPage();
    const errors = collectErrors(p);
    // Each frame, before it paints: whether the terminal takes keys and whether the picture has drawn (its data-seq).
    await p.addInitScript(`(() => {
      const frames = (window.__frames = []);
      const look = () => {
        const root = document.querySelector('layerlab-playground')?.shadowRoot;
        const input = root?.querySelector('ll-terminal input');
        const drawn = root?.querySelector('ll-picture')?.dataset.seq !== undefined;
        frames.push({ keys: !!input && !input.disabled, drawn });
        if (!drawn) requestAnimationFrame(look);
      };
      requestAnimationFrame(look);
    })();`);
    await p.goto(`${host.url}/`);
    await expect.poll(() => p.locator('ll-picture').getAttribute('data-seq'), { timeout: 30_000 }).not.toBeNull();
    await expect.poll(() => p.evaluate(() => (window as unknown as { __frames: unknown[] }).__frames.at(-1))).toEqual({ keys: true, drawn: true });
    const frames = await p.evaluate(() => (window as unknown as { __frames: { keys: boolean; drawn: boolean }[] }).__frames);
    // The first frame with the terminal taking keys had nothing of the picture's drawing in it: that is drawn after it paints…
    expect(frames.find((f) => f.keys)).toEqual({ keys: true, drawn: false });
    // …right after, in a task after that paint (at most a few frames on a loaded machine; one on a quiet one).
    const first = frames.findIndex((f) => f.keys);
    expect(frames.length - 1 - first).toBeGreaterThanOrEqual(1);
    expect(frames.length - 1 - first).toBeLessThanOrEqual(3);
    expect(await p.locator('ll-picture svg .layer-graph__layer').count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await p.close();
  });
});
