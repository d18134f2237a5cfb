import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { collectErrors, useBrowser } from '../support/browser.js';
import { useOtherOrigin } from '../support/other-origin.js';
import { missingBrowserPrereqs, requirePrereqs } from '../support/prereqs.js';
import { HOSTILE_CSS, hostPage, strictCsp, typeInto } from './hostile-host.js';

const run = requirePrereqs('browser', missingBrowserPrereqs());

/** embed.browser.test.ts's hostile stylesheet, and Monaco's own class names on the host's elements (its CSS must not reach them). */
const EDITOR_HOSTILE_CSS = `${HOSTILE_CSS}.monaco-editor, .view-lines, .view-line, .codicon { all: unset; }
`;

const HOST_JS = `
const log = document.getElementById('log');
document.addEventListener('securitypolicyviolation', (e) => (log.textContent += JSON.stringify({ name: 'csp', detail: e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile }) + '\\n'));
`;

const EDITOR = `
<layerlab-playground id="ed" lang="en" view="terminal" theme="dark" editor>
  <script type="text/plain" data-file="Dockerfile">
    FROM busybox
    RUN echo first > /msg
  </script>
</layerlab-playground>
<layerlab-playground id="bad-editor" lang="ko" editor="../../etc/passwd"></layerlab-playground>
<layerlab-picture id="bad-picture" lang="en" editor commands="docker images"></layerlab-picture>
<span class="view-line monaco-editor" id="decoy">host text</span>
`;

const PLAIN = `<layerlab-playground id="plain" lang="en" view="terminal">
  <script type="text/plain" data-file="Dockerfile">FROM busybox</script>
</layerlab-playground>`;

/** Monaco draws a space as U+00A0. */
const text = async (p: Page, selector: string) => (await p.locator(selector).innerText()).replaceAll('\u00a0', ' ');
const output = (p: Page, widget: string) => p.locator(`#${widget} ll-terminal [data-output]`).textContent();
const violations = async (p: Page) =>
  ((await p.textContent('#log')) ?? '')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { name: string; detail: string });

/** Any of Monaco's code: its layers, the editor's session and the embed's editor, its worker. */
const MONACO = /\/embed\/v1\/(monaco-|editor-session-|embed-editor-|assets\/editor\.worker)/;

describe.skipIf(!run)('an embed with editor, on a page of another origin with a hostile stylesheet and a strict CSP', () => {
  const browser = useBrowser();
  const site = inject('siteUrl');
  const host = useOtherOrigin(
    (s) => {
      const headers = { 'content-security-policy': strictCsp(s, { editor: true }) };
      return {
        '/': { body: hostPage(s, EDITOR), type: 'text/html', headers },
        '/plain': { body: hostPage(s, PLAIN), type: 'text/html', headers },
        '/bare': { body: hostPage(s, EDITOR, false), type: 'text/html', headers },
        '/hostile.css': { body: EDITOR_HOSTILE_CSS, type: 'text/css' },
        '/host.js': { body: HOST_JS, type: 'text/javascript' },
        '/favicon.ico': { body: '', type: 'image/x-icon' },
      };
    },
    () => site,
  );

  it("shows the Dockerfile in Monaco in the widget's shadow root; an edit is what `docker build` in its terminal builds, and the lines show their layers", async () => {
    const p = await browser().newPage();
    const errors = collectErrors(p);
    const workers: string[] = [];
    p.on('worker', (w) => workers.push(w.url()));
    await p.goto(`${host.url}/`);
    const editor = p.locator('#ed ll-editor');
    await expect.poll(() => editor.getAttribute('data-synced'), { timeout: 60_000 }).toBe('');
    const lines = () => text(p, '#ed ll-editor .view-lines');
    await expect.poll(lines).toMatch(/FROM busybox\s+RUN echo first > \/msg/);

    // The reader's edit: typed into Monaco (text input, so no suggestion takes an Enter).
    await p.locator('#ed ll-editor .view-lines').click();
    await p.keyboard.press('ControlOrMeta+A');
    await p.keyboard.insertText('FROM busybox\nRUN echo edited-by-reader > /msg\n');
    await expect.poll(lines).toContain('edited-by-reader');
    await expect.poll(() => editor.getAttribute('data-synced'), { timeout: 10_000 }).toBe('');
    await typeInto(p, 'ed', 'docker build -t ed .', 30_000);
    await typeInto(p, 'ed', 'docker run --rm ed cat /msg', 30_000);
    await expect.poll(() => output(p, 'ed'), { timeout: 30_000 }).toMatch(/cat \/msg\s*edited-by-reader\s*$/);
    await typeInto(p, 'ed', 'docker history --no-trunc --format "{{.CreatedBy}}" ed', 30_000);
    await expect.poll(() => output(p, 'ed'), { timeout: 30_000 }).toContain('echo edited-by-reader > /msg');
    // The build typed in the terminal annotates the editor's lines (layer and size), as on a lesson page.
    const notes = p.locator('#ed ll-editor [data-annotations] li');
    await expect.poll(() => notes.count(), { timeout: 30_000 }).toBe(2);
    expect(await notes.nth(1).textContent()).toMatch(/^2: RUN echo edited-by-reader > \/msg — layer [0-9a-f]{12} · \d+B · rebuilt$/);
    expect(await p.locator('#ed ll-editor .ll-annotation-layer').count()).toBe(1);
    // The Build button builds in the widget's terminal: the same files, so the RUN is cached.
    await p.locator('#ed ll-editor [data-build]').click();
    await expect.poll(() => output(p, 'ed'), { timeout: 30_000 }).toContain('$ docker build -t my-image .');
    await expect.poll(() => notes.nth(1).textContent(), { timeout: 30_000 }).toMatch(/· cached$/);
    await expect.poll(() => p.locator('#ed ll-editor [data-status]').textContent()).toBe('Built my-image. Each line shows the layer it made.');
    // A mistake is underlined (the language service's diagnostic, a data: image) and Ctrl-Space lists instructions (codicons, a font).
    await p.locator('#ed ll-editor .view-lines').click();
    await p.keyboard.press('ControlOrMeta+End');
    await p.keyboard.insertText('FROMM');
    await expect.poll(() => p.locator('#ed ll-editor .squiggly-error').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await p.keyboard.press('ControlOrMeta+A');
    await p.keyboard.insertText('EXP');
    await p.keyboard.press('Control+Space');
    const suggestion = p.locator('#ed ll-editor .suggest-widget .monaco-list-row >> nth=0');
    await expect.poll(() => suggestion.textContent(), { timeout: 10_000 }).toContain('EXPOSE');
    expect(await suggestion.locator('.suggest-icon').evaluate((el) => getComputedStyle(el).fontFamily)).toBe('codicon');
    await expect.poll(() => p.evaluate(() => [...document.fonts].some((f) => f.family === 'codicon' && f.status === 'loaded'))).toBe(true);

    // Monaco's worker runs (from a blob: URL, the page's origin's), and nothing broke the CSP.
    await expect.poll(() => workers.length, { timeout: 20_000 }).toBeGreaterThan(0);
    expect(workers.every((w) => w.startsWith('blob:'))).toBe(true);
    expect((await violations(p)).filter((v) => v.name === 'csp')).toEqual([]);
    expect(errors).toEqual([]);
    await p.close();
  });

  it("keeps Monaco's styles inside the widget: laid out under the hostile stylesheet, in the widget's theme, nothing added to the host", async () => {
    const p = await browser().newPage();
    await p.goto(`${host.url}/`);
    const editor = p.locator('#ed ll-editor');
    await expect.poll(() => editor.getAttribute('data-ready'), { timeout: 60_000 }).toBe('');
    await expect.poll(() => text(p, '#ed ll-editor .view-lines')).toContain('RUN echo first');
    const look = (selector: string) =>
      p.locator(selector).evaluate((el) => {
        const s = getComputedStyle(el);
        const box = el.getBoundingClientRect();
        return { position: s.position, display: s.display, background: s.backgroundColor, fontSize: s.fontSize, top: box.top, height: box.height };
      });
    // Monaco's own sheet holds: its lines absolutely placed, one under the other, in its font size.
    const [first, second] = await p.locator('#ed ll-editor .view-lines').evaluate((el) =>
      [...el.children].slice(0, 2).map((line) => {
        const box = line.getBoundingClientRect();
        return { position: getComputedStyle(line).position, fontSize: getComputedStyle(line).fontSize, top: box.top, height: box.height };
      }),
    );
    expect(first!.position).toBe('absolute');
    expect(first!.fontSize).toBe('14px');
    expect(first!.height).toBeGreaterThan(10);
    expect(second!.top - first!.top).toBeCloseTo(first!.height, 0);
    expect((await look('#ed ll-editor .monaco-editor')).height).toBeGreaterThan(150);
    // theme="dark": the editor's background is the widget's dark --bg, not Monaco's default.
    await expect.poll(async () => (await look('#ed ll-editor .monaco-editor-background')).background).toBe('rgb(15, 19, 24)');
    // Nothing leaks out: the host's element with Monaco's class names keeps the host's styles.
    expect(await look('#decoy')).toMatchObject({ position: 'static', display: 'inline' });
    expect(await p.locator('head style, body style, head link').count()).toBe(1);
    expect(await p.evaluate(() => document.adoptedStyleSheets.length)).toBe(0);
    await p.close();
  });

  it('a wrong editor value is said in the widget, in its language', async () => {
    const p = await browser().newPage();
    await p.goto(`${host.url}/`);
    await expect
      .poll(() => p.locator('#bad-editor .problems').textContent(), { timeout: 20_000 })
      .toContain('editor="../../etc/passwd"는 열 수 있는 파일이 아니에요');
    expect(await p.getAttribute('#bad-editor', 'data-error')).toBe('editor');
    await expect.poll(() => p.locator('#bad-picture .problems').textContent()).toContain('editor is for <layerlab-playground> only');
    expect(await p.locator('#bad-editor ll-editor, #bad-picture ll-editor').count()).toBe(0);
    await p.close();
  });

  it("puts nothing on window but the element definitions and Monaco's environment", async () => {
    const p = await browser().newPage();
    const names = () => p.evaluate(() => Object.getOwnPropertyNames(window).sort());
    await p.goto(`${host.url}/bare`);
    const bare = await names();
    await p.goto(`${host.url}/`);
    await expect.poll(() => p.locator('#ed ll-editor').getAttribute('data-synced'), { timeout: 60_000 }).toBe('');
    // Monaco's environment: the worker's factory, and the id Monaco gives the window it runs in.
    expect((await names()).filter((n) => !bare.includes(n))).toEqual(['MonacoEnvironment', 'vscodeWindowId']);
    await p.close();
  });

  it('a widget without editor fetches none of Monaco, builds and all', async () => {
    const p = await browser().newPage();
    const errors = collectErrors(p);
    const fetched: string[] = [];
    p.on('request', (r) => fetched.push(r.url()));
    await p.goto(`${host.url}/plain`);
    await typeInto(p, 'plain', 'docker build -q -t plain .', 30_000);
    await typeInto(p, 'plain', 'docker images', 30_000);
    await expect.poll(() => output(p, 'plain'), { timeout: 30_000 }).toMatch(/\nplain +latest/);
    // The listener saw the embed's files: the entry, and the builder's chunk its build fetched…
    const embedFiles = fetched.filter((u) => u.includes('/embed/v1/')).map((u) => u.replace(/^.*\/embed\/v1\/([a-z.]+)(-[\w-]+)?\.js$/, '$1'));
    expect(embedFiles).toEqual(expect.arrayContaining(['layerlab', 'build.run']));
    // …and none of the editor's.
    expect(fetched.filter((u) => MONACO.test(u) || u.includes('codicon'))).toEqual([]);
    expect(await p.evaluate(() => 'MonacoEnvironment' in window)).toBe(false);
    expect(errors).toEqual([]);
    await p.close();
  });
});
