import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { collectErrors, useBrowser } from '../support/browser.js';
import { useOtherOrigin } from '../support/other-origin.js';
import { missingBrowserPrereqs, requirePrereqs } from '../support/prereqs.js';
import { HOSTILE_CSS, hostPage, strictCsp, typeInto } from './hostile-host.js';

const run = requirePrereqs('browser', missingBrowserPrereqs());

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
<layerlab-lesson id="four" lang="en" lesson="06-containers" step="2"></layerlab-lesson>
<layerlab-lesson id="five" lang="ko" lesson="06-containers" view="terminal"></layerlab-lesson>
<layerlab-playground id="bad-lang" lang="xx" theme="blue"></layerlab-playground>
<layerlab-lesson id="bad-lesson" lang="ko" lesson="99-nothing"></layerlab-lesson>
<layerlab-picture id="bad-ko" lang="ko" height="tall" commands="docker images"></layerlab-picture>
`;

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

const output = (p: Page, widget: string) => p.locator(`#${widget} ll-terminal [data-output]`).textContent();

describe.skipIf(!run)('embeds on a page of another origin, with a hostile stylesheet and a strict CSP', () => {
  const browser = useBrowser();
  const site = inject('siteUrl');
  const host = useOtherOrigin(
    (s) => {
      const headers = { 'content-security-policy': strictCsp(s) };
      return {
        '/': { body: hostPage(s, WIDGETS), type: 'text/html', headers },
        '/bare': { body: hostPage(s, WIDGETS, false), type: 'text/html', headers },
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
    await typeInto(p, 'two', 'docker ps -a --format {{.Names}}');
    await expect.poll(() => output(p, 'two')).toContain('$ docker ps -a');
    expect(await output(p, 'two')).not.toContain('c1');
    await p.locator('#two button[part="run"]').click();
    await typeInto(p, 'two', 'docker ps -a --format "{{.Names}}"');
    await expect.poll(async () => (await output(p, 'two'))?.match(/only-two/g)?.length).toBe(2);
    // Each engine its own: the first never sees the second's container, nor the picture's.
    await typeInto(p, 'one', 'docker ps -a --format "{{.Names}}"');
    await expect.poll(() => output(p, 'one')).toMatch(/\$ docker ps -a --format "\{\{\.Names\}\}"\s*c1\s*$/);
    // Two's files (a <script type="text/plain" data-file> child) are its build context, and only its.
    await typeInto(p, 'two', 'docker build -q -t two .');
    await typeInto(p, 'two', 'docker run --rm two cat /two');
    await expect.poll(() => output(p, 'two'), { timeout: 30_000 }).toMatch(/cat \/two\s*two\s*$/);
    await typeInto(p, 'one', 'docker build -t one .');
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
    expect(events.filter((e) => e.name === 'layerlab:goal' && e.from === 'one')).toEqual([
      { name: 'layerlab:goal', from: 'one', detail: { goal: { kind: 'containers', name: 'c1' } } },
    ]);
    const states = events.filter((e) => e.name === 'layerlab:state');
    expect(states.filter((e) => e.from === 'one').at(-1)?.detail).toEqual({ containers: ['c1'] });
    expect(states.filter((e) => e.from === 'three').at(-1)?.detail).toEqual({ containers: ['pic'] });
    // But the browser's line for #bad-lesson's 404 (the next test reads it).
    expect(errors.filter((e) => !e.includes('status of 404'))).toEqual([]);
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

  it("a lesson widget: one step starts where the earlier steps leave it, its goal met fires layerlab:goal; the whole lesson walks on with the solution's Run button", async () => {
    const p = await browser().newPage();
    const errors = collectErrors(p);
    const lessons: string[] = [];
    const scripts: Promise<string>[] = [];
    p.on('response', (res) => {
      if (res.url().includes('/embed/lessons/')) lessons.push(new URL(res.url()).pathname);
      if (res.request().resourceType() === 'script') scripts.push(res.text());
    });
    await p.goto(`${host.url}/`);
    const four = p.locator('#four .lesson');
    // Step 2 of 06-containers alone: step 1's `docker run -d --name web …` has run on four's own engine.
    await expect.poll(() => four.locator('h2').textContent(), { timeout: 30_000 }).toBe('Containers');
    expect(await four.textContent()).toContain('Step 2 of 5 of the lesson');
    const step = four.locator('[data-step-panel="write-file"]');
    expect(await step.isVisible()).toBe(true);
    await step.locator('summary').first().click();
    expect(await step.locator('details p').first().textContent()).toBe(
      "Put the command after docker exec web. The redirection (>) goes inside sh -c '…'.",
    );
    expect(await step.locator('details p code').allTextContents()).toEqual(['docker exec web', "sh -c '…'"]);
    await typeInto(p, 'four', "docker exec web sh -c 'echo hi > /hello.txt'");
    await expect.poll(() => four.locator('[data-complete]').isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await four.locator('[data-complete]').textContent()).toMatch(/^Step done: /);
    expect(await four.locator('a').getAttribute('href')).toBe(`${site}/en/lessons/06-containers/`);
    // Five: the whole lesson in Korean; the first step's solution runs from its Run button, in five's terminal only.
    const five = p.locator('#five .lesson');
    await expect.poll(() => five.locator('[data-progress]').textContent(), { timeout: 30_000 }).toBe('5단계 중 1단계');
    await expect.poll(() => p.locator('#five ll-terminal input').isEnabled(), { timeout: 30_000 }).toBe(true);
    await five.locator('[data-step-panel="run-web"] summary').nth(1).click();
    await five.locator('[data-step-panel="run-web"] button[data-run]').click();
    await expect.poll(() => five.locator('[data-step-item="run-web"]').getAttribute('data-done'), { timeout: 30_000 }).toBe('');
    expect(await five.locator('[data-step-item="write-file"]').getAttribute('aria-current')).toBe('step');
    expect(await five.locator('[data-step-panel="write-file"]').isVisible()).toBe(true);
    expect(await output(p, 'five')).toContain('$ docker run -d --name web busybox sleep 3600');
    // A lesson that is not there is said, in the widget's language.
    await expect.poll(() => p.locator('#bad-lesson .problems').textContent()).toContain('이 언어에는 "99-nothing" 레슨이 없어요');
    expect(await p.getAttribute('#bad-lesson', 'data-error')).toBe('noLesson');

    const events = await logged(p);
    const goals = events.filter((e) => e.name === 'layerlab:goal' && e.from !== 'one').sort((a, b) => a.from!.localeCompare(b.from!));
    expect(goals).toEqual([
      {
        name: 'layerlab:goal',
        from: 'five',
        detail: { goal: { kind: 'containerStatus', name: 'web', status: 'running' }, lesson: '06-containers', step: 'run-web' },
      },
      {
        name: 'layerlab:goal',
        from: 'four',
        detail: {
          goal: { kind: 'containerFile', container: 'web', path: '/hello.txt', layer: 'upper' },
          lesson: '06-containers',
          step: 'write-file',
        },
      },
    ]);
    expect(events.filter((e) => e.name === 'csp')).toEqual([]);
    // Each lesson's data is fetched on demand, one file a lesson and language; none of it is in the bundle.
    expect([...new Set(lessons)].sort()).toEqual([
      '/en/embed/lessons/06-containers.json',
      '/ko/embed/lessons/06-containers.json',
      '/ko/embed/lessons/99-nothing.json',
    ]);
    expect((await Promise.all(scripts)).some((js) => js.includes('Put the command after'))).toBe(false);
    // The one error: the browser's own line for the missing lesson's 404.
    expect(errors).toEqual([expect.stringContaining('404')]);
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
    expect(
      await p.evaluate(() => ['layerlab-playground', 'layerlab-picture', 'layerlab-lesson'].map((n) => customElements.get(n) !== undefined)),
    ).toEqual([true, true, true]);
    await p.close();
  });
});
