import { describe, expect, inject, it } from 'vitest';
import { frameSnippet } from '../../src/embed/frame-snippet.js';
import { collectErrors, useBrowser } from '../support/browser.js';
import { useOtherOrigin } from '../support/other-origin.js';
import { missingBrowserPrereqs, requirePrereqs } from '../support/prereqs.js';

const run = requirePrereqs('browser', missingBrowserPrereqs());

/** The page's own script: the events the frame posts, as JSON lines; and a forged resize from the page itself. */
const HOST_JS = `
addEventListener('message', (e) => {
  if (e.data?.source === 'layerlab' && e.data.type !== 'layerlab:resize')
    document.getElementById('log').textContent += JSON.stringify({ origin: e.origin, type: e.data.type, detail: e.data.type === 'layerlab:command' ? e.data.detail : undefined }) + '\\n';
});
document.getElementById('forge').addEventListener('click', () => postMessage({ source: 'layerlab', type: 'layerlab:resize', height: 5 }, '*'));
`;

describe.skipIf(!run)('the iframe form, /{lang}/embed/frame', () => {
  const browser = useBrowser();
  const site = inject('siteUrl');
  const host = useOtherOrigin(
    (s) => {
      const src = `${s}/en/embed/frame?view=terminal,graph,tables&commands=${encodeURIComponent('docker run --name c1 busybox true\ndocker ps -a')}`;
      // The snippet as the docs page gives it, with its inline script moved to a file the test can read.
      const snippet = frameSnippet(new URL(s).origin, src, 'Layerlab');
      const [iframe, script] = snippet.split('<script>');
      return {
        '/': {
          type: 'text/html',
          body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>md</title></head><body>${iframe}
<button id="forge">forge</button><output id="log"></output><script src="/snippet.js"></script><script src="/host.js"></script></body></html>`,
        },
        '/snippet.js': { type: 'text/javascript', body: script!.replace('</script>', '') },
        '/host.js': { type: 'text/javascript', body: HOST_JS },
        '/favicon.ico': { body: '', type: 'image/x-icon' },
      };
    },
    () => site,
  );

  it('runs the options given as query parameters, sizes its frame by the height it posts, and posts the events', async () => {
    const p = await browser().newPage();
    const errors = collectErrors(p);
    await p.goto(`${host.url}/`);
    const frame = p.frameLocator('iframe');
    await expect.poll(() => frame.locator('ll-terminal [data-output]').textContent(), { timeout: 30_000 }).toMatch(/c1/);
    // The frame's own content height, posted and applied: no scrollbar, no gap.
    const sized = async () => {
      const frameHeight = await p.locator('iframe').evaluate((f) => (f as HTMLIFrameElement).getBoundingClientRect().height);
      const content = await frame.locator('html').evaluate((html) => Math.ceil(html.getBoundingClientRect().height));
      return [frameHeight, content] as const;
    };
    await expect
      .poll(async () => {
        const [frameHeight, content] = await sized();
        // 400: the snippet's height before the first message.
        return frameHeight === content && content !== 400;
      })
      .toBe(true);
    const [height] = await sized();
    // A message of the right shape from another origin (the page itself) is not obeyed.
    await p.click('#forge');
    await p.waitForTimeout(300);
    expect((await sized())[0]).toBe(height);
    const log = ((await p.textContent('#log')) ?? '')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { origin: string; type: string; detail?: unknown });
    expect(new Set(log.map((l) => l.origin))).toEqual(new Set([new URL(site).origin]));
    expect(log.filter((l) => l.type === 'layerlab:command').map((l) => l.detail)).toEqual([
      { command: 'docker run --name c1 busybox true', exitCode: 0 },
      { command: 'docker ps -a', exitCode: 0 },
    ]);
    expect(log.some((l) => l.type === 'layerlab:state')).toBe(true);
    expect(errors).toEqual([]);
    await p.close();
  });

  it('takes editor as a query parameter: the frame holds the editor on its files, and its build builds them', async () => {
    const p = await browser().newPage();
    const errors = collectErrors(p);
    // Opened as a page of its own, the frame is asked for the site's favicon.ico, which the site does not have (favicon.svg).
    await p.route('**/favicon.ico', (route) => route.fulfill({ body: '', contentType: 'image/x-icon' }));
    const files = JSON.stringify({ Dockerfile: 'FROM busybox\nRUN echo from-the-frame > /f\n' });
    await p.goto(`${site}/en/embed/frame?view=terminal&editor=Dockerfile&files=${encodeURIComponent(files)}`);
    const editor = p.locator('ll-editor');
    await expect.poll(() => editor.getAttribute('data-synced'), { timeout: 60_000 }).toBe('');
    expect((await p.locator('ll-editor .view-lines').innerText()).replaceAll('\u00a0', ' ')).toContain('RUN echo from-the-frame > /f');
    await p.locator('ll-editor [data-build]').click();
    await expect.poll(() => p.locator('ll-editor [data-annotations] li').count(), { timeout: 30_000 }).toBe(2);
    await p.locator('ll-terminal input').fill('docker run --rm my-image cat /f');
    await p.locator('ll-terminal input').press('Enter');
    await expect.poll(() => p.locator('ll-terminal [data-output]').textContent(), { timeout: 30_000 }).toMatch(/cat \/f\s*from-the-frame\s*$/);
    // Monaco's styles went to the widget's shadow root, none to the frame's document.
    expect(await p.locator('head style[data-monaco]').count()).toBe(0);
    expect(errors).toEqual([]);
    await p.close();
  });
});
