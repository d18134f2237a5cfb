import { release } from 'node:os';
import { describe, expect, it } from 'vitest';
import { collectErrors, useBrowser } from '../support/browser.js';
import { useOtherOrigin, type OtherOriginFile } from '../support/other-origin.js';
import { missingBrowserPrereqs, missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';
import { useSandboxSite } from '../support/site-server.js';

const run = requirePrereqs('browser + linux', [...missingBrowserPrereqs(), ...missingLinuxPrereqs()]);

/** A docs page of another origin whose widget uses the sandbox server at `site`, under a strict CSP that lets it reach it. */
function docsPage(site: string): Record<string, OtherOriginFile> {
  const ws = site.replace(/^http/, 'ws');
  const csp = [`default-src 'none'`, `script-src ${site}`, `connect-src ${site} ${ws}`, `base-uri 'none'`].join('; ');
  return {
    '/': {
      type: 'text/html',
      headers: { 'content-security-policy': csp },
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>docs</title>
<script type="module" src="${site}/embed/v1/layerlab.js"></script></head>
<body><layerlab-playground id="real" lang="en" view="terminal" server="${site}" commands="docker run --rm busybox uname -r"></layerlab-playground></body></html>`,
    },
    '/favicon.ico': { body: '', type: 'image/x-icon' },
  };
}

describe.skipIf(!run)('an embed pointed at a sandbox server (server=…)', () => {
  const browser = useBrowser();
  let site = '';
  const allowed = useOtherOrigin(docsPage, () => site);
  const refused = useOtherOrigin(docsPage, () => site);
  // Only the first docs site is on the server's allow-list.
  const sandbox = useSandboxSite('layerlab-embed-', () => ({ LAYERLAB_EMBED_ORIGINS: allowed.url }));
  const siteUrl = () => (site ||= sandbox.url);

  it("runs a real container from a page of a listed site: the host's kernel answers uname", async () => {
    siteUrl();
    const p = await browser().newPage();
    const errors = collectErrors(p);
    await p.goto(`${allowed.url}/`);
    // The simulator has no uname; a container on runc shares the host's kernel.
    await expect.poll(() => p.locator('#real ll-terminal [data-output]').textContent(), { timeout: 60_000 }).toContain(release());
    expect(errors).toEqual([]);
    await p.close();
  });

  it('a page of a site not on the list gets no session: the widget says its engine did not start', async () => {
    siteUrl();
    const before = await (await fetch(`${site}/api/health`)).json();
    const p = await browser().newPage();
    await p.goto(`${refused.url}/`);
    await expect.poll(() => p.getAttribute('#real', 'data-error'), { timeout: 30_000 }).toBe('engine');
    expect(await p.locator('#real .problems').textContent()).toContain('The engine did not start');
    const after = await (await fetch(`${site}/api/health`)).json();
    expect(after.sessions.inUse).toBe(before.sessions.inUse);
    await p.close();
  });
});
