import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { collectErrors, useBrowser } from '../support/browser.js';
import { useOtherOrigin } from '../support/other-origin.js';
import { missingBrowserPrereqs, requirePrereqs } from '../support/prereqs.js';

const run = requirePrereqs('browser', missingBrowserPrereqs());

/** The directives the embed docs give a page with a strict CSP (no 'unsafe-inline', no 'unsafe-eval'). */
const csp = (site: string) =>
  [
    `default-src 'none'`,
    `script-src 'self' ${site}`,
    `connect-src ${site}`,
    `style-src 'self'`,
    `img-src 'self'`,
    `base-uri 'none'`,
    `object-src 'none'`,
  ].join('; ');

/** A docs author's stylesheet at its worst: everything unset, boxes hidden, text huge and red. */
const HOSTILE_CSS = `
* { all: unset; }
div, section, svg, form, pre, p, ul, li { display: none !important; }
* { color: red !important; font-size: 40px !important; background: yellow !important; }
layerlab-playground, layerlab-picture { all: unset; }
`;

/** The host page's own script (a file: the CSP allows no inline script): every event it hears, as JSON lines. */
const HOST_JS = `
const log = document.getElementById('log');
for (const name of ['layerlab:command', 'layerlab:state', 'layerlab:goal'])
  document.addEventListener(name, (e) => {
    const detail = name === 'layerlab:state' ? { containers: e.detail.state.containers.map((c) => c.name) } : e.detail;
    log.textContent += JSON.stringify({ name, from: e.target.id, detail }) + '\\n';
  });
document.addEventListener('securitypolicyviolation', (e) => (log.textContent += JSON.stringify({ name: 'csp', detail: e.violatedDirective + ' ' + e.blockedURI }) + '\\n'));
`;

const WIDGETS = `
<layerlab-playground id="one" lang="en" view="terminal,graph" goal='{"kind": "containers", "name": "c1"}'
  commands="docker run --name c1 busybox sh -c 'echo hi > /f'&#10;docker diff c1"></layerlab-playground>
<layerlab-playground id="two" lang="ko" run="click" theme="dark" height="480px" commands="docker create --name only-two busybox">
  <script type="text/plain" data-file="Dockerfile">
    FROM busybox
    RUN echo two > /two
  </script>
</layerlab-playground>
<layerlab-picture id="three" lang="en" view="graph,tables" commands="docker run --name pic busybox true"></layerlab-picture>
<layerlab-playground id="bad-lang" lang="xx" theme="blue"></layerlab-playground>
<layerlab-picture id="bad-ko" lang="ko" height="tall" commands="docker images"></layerlab-picture>
`;

const page = (site: string, withEmbed: boolean) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A docs page</title>
<link rel="stylesheet" href="/hostile.css">
<script type="module" src="/host.js"></script>
${withEmbed ? `<script type="module" src="${site}/embed/v1/layerlab.js"></script>` : ''}
</head><body><h1>Docs</h1>${WIDGETS}<output id="log"></output></body></html>`;

interface Logged {
  name: string;
  from?: string;
  detail: unknown;
}

const logged = async (p: Page): Promise<Logged[]> =>
  ((await p.textContent('#log')) ?? '')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Logged);

async function type(p: Page, widget: string, command: string): Promise<void> {
  const input = p.locator(`#${widget} ll-terminal input`);
  await expect.poll(() => input.isEnabled(), { timeout: 20_000 }).toBe(true);
  await input.fill(command);
  await input.press('Enter');
}

const output = (p: Page, widget: string) => p.locator(`#${widget} ll-terminal [data-output]`).textContent();

describe.skipIf(!run)('embeds on a page of another origin, with a hostile stylesheet and a strict CSP', () => {
  const browser = useBrowser();
  const site = inject('siteUrl');
  const host = useOtherOrigin(
    (s) => {
      const headers = { 'content-security-policy': csp(s) };
      return {
        '/': { body: page(s, true), type: 'text/html', headers },
        '/bare': { body: page(s, false), type: 'text/html', headers },
        '/hostile.css': { body: HOSTILE_CSS, type: 'text/css' },
        '/host.js': { body: HOST_JS, type: 'text/javascript' },
        // The browser asks for one; a 404 would be a console error.
        '/favicon.ico': { body: '', type: 'image/x-icon' },
      };
    },
    () => site,
  );

  it('three widgets each run their own commands on their own engine; events reach the host; the CSP holds', async () => {
    expect(new URL(host.url).origin).not.toBe(new URL(site).origin);
    const p = await browser().newPage();
    const errors = collectErrors(p);
    await p.goto(`${host.url}/`);
    // One: its commands run on load, in its terminal.
    await expect.poll(() => output(p, 'one'), { timeout: 30_000 }).toContain('A /f');
    // Three: a picture only, drawn from what its commands made.
    await expect.poll(() => p.locator('#three ll-picture svg .layer-graph__container').count(), { timeout: 30_000 }).toBe(1);
    expect(await p.locator('#three ll-picture [data-tables]').textContent()).toContain('pic');
    // Two: run="click" runs nothing until its button is pressed.
    await type(p, 'two', 'docker ps -a --format {{.Names}}');
    await expect.poll(() => output(p, 'two')).toContain('$ docker ps -a');
    expect(await output(p, 'two')).not.toContain('c1');
    await p.locator('#two button[part="run"]').click();
    await type(p, 'two', 'docker ps -a --format "{{.Names}}"');
    await expect.poll(async () => (await output(p, 'two'))?.match(/only-two/g)?.length).toBe(2);
    // Each engine its own: the first never sees the second's container, nor the picture's.
    await type(p, 'one', 'docker ps -a --format "{{.Names}}"');
    await expect.poll(() => output(p, 'one')).toMatch(/\$ docker ps -a --format "\{\{\.Names\}\}"\s*c1\s*$/);
    // Two's files (a <script type="text/plain" data-file> child) are its build context, and only its.
    await type(p, 'two', 'docker build -q -t two .');
    await type(p, 'two', 'docker run --rm two cat /two');
    await expect.poll(() => output(p, 'two'), { timeout: 30_000 }).toMatch(/cat \/two\s*two\s*$/);
    await type(p, 'one', 'docker build -t one .');
    await expect.poll(() => output(p, 'one'), { timeout: 30_000 }).toMatch(/Dockerfile.*no such file or directory/);

    const events = await logged(p);
    expect(events.filter((e) => e.name === 'csp')).toEqual([]);
    const commands = (from: string) => events.filter((e) => e.name === 'layerlab:command' && e.from === from).map((e) => e.detail);
    expect(commands('one').slice(0, 2)).toEqual([
      { command: "docker run --name c1 busybox sh -c 'echo hi > /f'", exitCode: 0 },
      { command: 'docker diff c1', exitCode: 0 },
    ]);
    expect(commands('three')).toEqual([{ command: 'docker run --name pic busybox true', exitCode: 0 }]);
    expect(commands('two').map((c) => (c as { command: string }).command)).toContain('docker create --name only-two busybox');
    expect(events.filter((e) => e.name === 'layerlab:goal')).toEqual([
      { name: 'layerlab:goal', from: 'one', detail: { goal: { kind: 'containers', name: 'c1' } } },
    ]);
    const states = events.filter((e) => e.name === 'layerlab:state');
    expect(states.filter((e) => e.from === 'one').at(-1)?.detail).toEqual({ containers: ['c1'] });
    expect(states.filter((e) => e.from === 'three').at(-1)?.detail).toEqual({ containers: ['pic'] });
    expect(errors).toEqual([]);
    await p.close();
  });

  it("keeps its own styles under the host's stylesheet; its theme and height are its attributes'", async () => {
    const p = await browser().newPage();
    await p.goto(`${host.url}/`);
    await expect.poll(() => p.locator('#one ll-terminal input').isEnabled(), { timeout: 20_000 }).toBe(true);
    const look = (selector: string) =>
      p.locator(selector).evaluate((el) => {
        const s = getComputedStyle(el);
        return { display: s.display, color: s.color, background: s.backgroundColor, fontSize: s.fontSize, height: el.getBoundingClientRect().height };
      });
    const host1 = await look('#one');
    expect(host1.display).toBe('block');
    expect(host1.height).toBeGreaterThan(200);
    expect(await look('#one ll-terminal')).toMatchObject({
      display: 'flex',
      background: 'rgb(20, 24, 29)',
      color: 'rgb(230, 237, 243)',
      fontSize: '14px',
    });
    expect(await look('#one ll-terminal form')).toMatchObject({ display: 'flex' });
    expect((await look('#one ll-picture .picture__graph-box')).height).toBeGreaterThan(100);
    // theme="dark": the box's own background; height="480px" is the element's height.
    expect((await look('#two .ll')).background).toBe('rgb(15, 19, 24)');
    expect((await look('#one .ll')).background).toBe('rgb(255, 255, 255)');
    expect((await look('#two')).height).toBe(480);
    // Nothing added to the host document: no style or link elements beyond the page's own.
    expect(await p.locator('head style, body style, head link').count()).toBe(1);
    await p.close();
  });

  it('a wrong attribute is a visible, friendly error in the widget — in both languages when lang itself is wrong', async () => {
    const p = await browser().newPage();
    await p.goto(`${host.url}/`);
    const badLang = p.locator('#bad-lang .problems');
    await expect.poll(() => badLang.count(), { timeout: 20_000 }).toBe(2);
    const text = (await badLang.allTextContents()).join('\n');
    expect(text).toContain('lang="xx" is not a language it speaks: use ko or en.');
    expect(text).toContain('lang="xx"는 지원하는 언어가 아니에요. ko나 en을 써 주세요.');
    expect(text).toContain('theme="blue" is not a theme: use light, dark or auto.');
    expect(await p.getAttribute('#bad-lang', 'data-error')).toBe('lang theme');
    const ko = p.locator('#bad-ko .problems');
    await expect.poll(() => ko.textContent()).toContain('height="tall"는 높이가 아니에요.');
    expect(await ko.getAttribute('lang')).toBe('ko');
    const box = await ko.boundingBox();
    expect(box!.height).toBeGreaterThan(40);
    expect(await ko.evaluate((el) => getComputedStyle(el).display)).toBe('block');
    await p.close();
  });

  it('puts nothing on window but the element definitions', async () => {
    const p = await browser().newPage();
    const names = () => p.evaluate(() => Object.getOwnPropertyNames(window).sort());
    await p.goto(`${host.url}/bare`);
    const bare = await names();
    await p.goto(`${host.url}/`);
    await expect.poll(() => p.locator('#one ll-terminal [data-output]').textContent(), { timeout: 30_000 }).toContain('A /f');
    expect((await names()).filter((n) => !bare.includes(n))).toEqual([]);
    expect(await p.evaluate(() => ['layerlab-playground', 'layerlab-picture'].map((n) => customElements.get(n) !== undefined))).toEqual([true, true]);
    await p.close();
  });
});
