import { describe, expect, inject, it } from 'vitest';
import { useBrowser, collectErrors } from '../support/browser.js';
import { missingBrowserPrereqs, requirePrereqs } from '../support/prereqs.js';
import { annotations, typeDockerfile } from './editor-page.js';

const run = requirePrereqs('browser', missingBrowserPrereqs());

const isMonaco = (url: string, body: string) =>
  /editor\.worker|editor-session|codicon/.test(url) || body.includes('MonacoEnvironment') || body.includes('monaco-editor');

describe.skipIf(!run)('Dockerfile editor in the playground', () => {
  const browser = useBrowser();
  const site = inject('siteUrl');

  it("builds a typed Dockerfile and shows each line's layer; an edit to the third instruction keeps the first two", async () => {
    const page = await browser().newPage();
    const errors = collectErrors(page);
    await page.goto(`${site}/en/playground/`);
    await page.waitForSelector('ll-editor[data-ready]', { timeout: 20_000 });
    await expect.poll(() => page.isEnabled('ll-terminal input'), { timeout: 20_000 }).toBe(true);
    const dockerfile = ['FROM busybox', 'COPY hello.txt /hello.txt', 'RUN echo one > /one.txt', 'ENV STAGE=dev', 'CMD cat /hello.txt'];
    await typeDockerfile(page, dockerfile);
    await page.click('ll-editor [data-build]');
    await expect.poll(() => page.textContent('ll-terminal [data-output]'), { timeout: 20_000 }).toContain('naming to docker.io/library/my-image');
    await expect.poll(async () => (await annotations(page)).length, { timeout: 10_000 }).toBe(5);
    const first = await annotations(page);
    expect(first.map((a) => [a.line, a.kind, a.cached])).toEqual([
      [1, 'from', 'false'],
      [2, 'layer', 'false'],
      [3, 'layer', 'false'],
      [4, 'empty', 'false'],
      [5, 'empty', 'false'],
    ]);
    // hello.txt (15 bytes) and one.txt (4 bytes), sized as `docker history` prints them.
    expect(first[1]!.text).toMatch(/layer [0-9a-f]{12} · 15B · rebuilt$/);
    expect(first[2]!.text).toMatch(/layer [0-9a-f]{12} · 4B · rebuilt$/);
    expect(first[3]!.text).toContain('no layer · rebuilt');
    // The same words are drawn after the lines inside Monaco.
    await expect.poll(() => page.locator('ll-editor .ll-annotation').count()).toBe(5);

    // Edit the third instruction and build with Ctrl/Cmd-Enter.
    await typeDockerfile(
      page,
      dockerfile.map((l, i) => (i === 2 ? 'RUN echo uno > /one.txt' : l)),
    );
    await page.keyboard.press('ControlOrMeta+Enter');
    await expect
      .poll(async () => (await annotations(page)).map((a) => [a.line, a.kind, a.cached]), { timeout: 20_000 })
      .toEqual([
        // Docker: FROM resolves the base image; BuildKit never reports it as a cache hit.
        [1, 'from', 'false'],
        [2, 'layer', 'true'],
        [3, 'layer', 'false'],
        [4, 'empty', 'false'],
        [5, 'empty', 'false'],
      ]);
    const second = await annotations(page);
    expect(second[1]!.text).toContain('cached');
    expect(second[1]!.text.match(/[0-9a-f]{12}/)![0]).toBe(first[1]!.text.match(/[0-9a-f]{12}/)![0]);
    expect(second[2]!.text.match(/[0-9a-f]{12}/)![0]).not.toBe(first[2]!.text.match(/[0-9a-f]{12}/)![0]);

    // A failing RUN is marked with its exit code.
    await typeDockerfile(page, ['FROM busybox', 'RUN exit 3']);
    await page.click('ll-editor [data-build]');
    await expect
      .poll(async () => (await annotations(page)).find((a) => a.line === 2)?.text ?? '', { timeout: 20_000 })
      .toContain('failed: exit code 3');
    // The line is marked from the step's event; the status follows when the command ends.
    await expect.poll(async () => (await page.textContent('ll-editor [data-status]')) ?? '', { timeout: 10_000 }).toContain('line 2');
    expect(await page.locator('ll-editor .ll-line-failed').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("offers instructions and the session's own images as completions, and flags mistakes", async () => {
    const page = await browser().newPage();
    await page.goto(`${site}/en/playground/`);
    await page.waitForSelector('ll-editor[data-ready]', { timeout: 20_000 });
    await page.click('ll-editor .monaco .view-lines');
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.press('Delete');
    await page.keyboard.type('FROM busy');
    await page.keyboard.press('Control+Space');
    await expect
      .poll(() => page.locator('ll-editor .suggest-widget .monaco-list-row').allTextContents(), { timeout: 10_000 })
      .toEqual(expect.arrayContaining([expect.stringContaining('busybox:latest')]));
    await page.keyboard.press('Escape');
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('WORKDI');
    await page.keyboard.press('Control+Space');
    await expect
      .poll(() => page.locator('ll-editor .suggest-widget .monaco-list-row').allTextContents(), { timeout: 10_000 })
      .toEqual(expect.arrayContaining([expect.stringContaining('WORKDIR')]));
    await page.keyboard.press('Escape');
    // The language service's diagnostics: an instruction with no arguments.
    await page.keyboard.press('Enter');
    await page.keyboard.type('EXPOSE');
    await expect.poll(() => page.locator('ll-editor .squiggly-error').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.close();
  });

  // dockerfile-ast calls Node's Buffer.from; astro.config.mjs gives its modules a Buffer of their own.
  // A global one made the page look like Node to every other script (Monaco's VSBuffer then calls Buffer.isBuffer).
  it('parses Dockerfiles in the browser (language service and builder) with no Buffer on the page', async () => {
    const noBuffer = () => typeof (globalThis as { Buffer?: unknown }).Buffer;
    const page = await browser().newPage();
    const errors = collectErrors(page);
    await page.goto(`${site}/en/playground/`);
    await page.waitForSelector('ll-editor[data-ready]', { timeout: 20_000 });
    await expect.poll(() => page.isEnabled('ll-terminal input'), { timeout: 20_000 }).toBe(true);
    // The builder's parse, in the simulator.
    await typeDockerfile(page, ['FROM busybox', 'RUN echo parsed > /parsed.txt']);
    await page.click('ll-editor [data-build]');
    await expect.poll(() => page.textContent('ll-terminal [data-output]'), { timeout: 20_000 }).toContain('naming to docker.io/library/my-image');
    await expect.poll(async () => (await annotations(page)).map((a) => a.kind), { timeout: 10_000 }).toEqual(['from', 'layer']);
    // The language service's parse: a diagnostic for an instruction with no arguments.
    await typeDockerfile(page, ['FROM busybox', 'EXPOSE']);
    await expect.poll(() => page.locator('ll-editor .squiggly-error').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await page.evaluate(noBuffer)).toBe('undefined');
    expect(errors).toEqual([]);
    await page.close();

    // A lesson page's engine (no editor): `docker build` in the terminal parses its Dockerfile.
    const lesson = await browser().newPage();
    await lesson.goto(`${site}/en/lessons/08-build-cache/`);
    await expect.poll(() => lesson.isEnabled('ll-terminal input'), { timeout: 20_000 }).toBe(true);
    await lesson.fill('ll-terminal input', 'docker build -t parsed -f slow.Dockerfile v1');
    await lesson.press('ll-terminal input', 'Enter');
    await expect.poll(() => lesson.textContent('ll-terminal [data-output]'), { timeout: 20_000 }).toContain('naming to docker.io/library/parsed');
    expect(await lesson.evaluate(noBuffer)).toBe('undefined');
    await lesson.close();
  });

  it('shares files and commands in the link, and replays them on open', async () => {
    const page = await browser().newPage();
    await page.goto(`${site}/en/playground/`);
    await page.waitForSelector('ll-editor[data-ready]', { timeout: 20_000 });
    await expect.poll(() => page.isEnabled('ll-terminal input'), { timeout: 20_000 }).toBe(true);
    await page.fill('ll-editor [data-add-file] input', 'notes.txt');
    await page.press('ll-editor [data-add-file] input', 'Enter');
    await page.click('ll-editor .monaco .view-lines');
    await page.keyboard.type('shared note');
    await page.fill('ll-terminal input', 'docker tag busybox keep:1');
    await page.press('ll-terminal input', 'Enter');
    await expect.poll(() => page.evaluate(() => location.hash), { timeout: 10_000 }).toMatch(/^#s=1/);
    await page.click('[data-share]');
    // The click's handler writes the whole link (an async encode), then says so.
    await expect.poll(() => page.textContent('[data-share-status]'), { timeout: 10_000 }).not.toBe('');
    const link = await page.evaluate(() => location.href);
    await page.close();

    const opened = await browser().newPage();
    await opened.goto(link);
    await expect.poll(() => opened.textContent('ll-terminal [data-output]'), { timeout: 20_000 }).toContain('$ docker tag busybox keep:1');
    await opened.fill('ll-terminal input', 'docker images --format {{.Repository}}');
    await opened.press('ll-terminal input', 'Enter');
    await expect.poll(() => opened.textContent('ll-terminal [data-output]'), { timeout: 10_000 }).toContain('keep');
    expect(await opened.locator('ll-editor [data-file-list] button').allTextContents()).toEqual(['Dockerfile', 'hello.txt', 'notes.txt']);
    await opened.waitForSelector('ll-editor[data-ready]', { timeout: 20_000 });
    await opened.click('ll-editor [data-file-list] button[data-path="notes.txt"]');
    // Monaco draws spaces as no-break spaces.
    await expect.poll(async () => (await opened.textContent('ll-editor .monaco .view-lines'))?.replace(/\u00a0/g, ' ')).toContain('shared note');
    await opened.close();
  });

  it('a lesson page without an editor downloads no Monaco code', async () => {
    // What Monaco is, by URL: the chunks the playground fetches once its editor is up.
    const playground = await browser().newPage();
    const monacoUrls = new Set<string>();
    playground.on('response', async (res) => {
      const type = res.request().resourceType();
      if (type !== 'script' && type !== 'font' && type !== 'stylesheet') return;
      const body = (await res.body().catch(() => Buffer.alloc(0))).toString('utf8');
      if (isMonaco(res.url(), body)) monacoUrls.add(new URL(res.url()).pathname);
    });
    await playground.goto(`${site}/en/playground/`);
    await playground.waitForSelector('ll-editor[data-ready]', { timeout: 20_000 });
    await playground.waitForLoadState('networkidle');
    await playground.close();
    expect(monacoUrls.size).toBeGreaterThan(0);

    const lesson = await browser().newPage();
    const requested: string[] = [];
    const monacoBodies: string[] = [];
    lesson.on('response', async (res) => {
      requested.push(new URL(res.url()).pathname);
      if (res.request().resourceType() !== 'script') return;
      const body = (await res.body().catch(() => Buffer.alloc(0))).toString('utf8');
      if (isMonaco(res.url(), body)) monacoBodies.push(res.url());
    });
    // A lesson that builds (its files are a build context) but asks for no editor.
    await lesson.goto(`${site}/en/lessons/08-build-cache/`);
    expect(await lesson.locator('ll-editor').count()).toBe(0);
    await expect.poll(() => lesson.isEnabled('ll-terminal input'), { timeout: 20_000 }).toBe(true);
    await lesson.waitForLoadState('networkidle');
    expect(requested.some((p) => p.endsWith('.js'))).toBe(true);
    expect(requested.filter((p) => monacoUrls.has(p))).toEqual([]);
    expect(monacoBodies).toEqual([]);
    await lesson.close();
  });
});
