import { expect } from 'vitest';
import type { Page } from 'playwright-core';

/**
 * The docs page the embed tests put widgets on: another origin, a strict CSP, a hostile
 * stylesheet. One place, so the editor's test holds its widget under the same page as the
 * others' with only what the embed docs say an editor adds.
 */

/** The directives the embed docs give a page with a strict CSP (no 'unsafe-inline', no
 * 'unsafe-eval'); `editor` adds what they say Monaco needs (src/i18n embedDocs.cspEditor). */
export function strictCsp(site: string, { editor = false } = {}): string {
  return [
    `default-src 'none'`,
    `script-src 'self' ${site}`,
    `connect-src ${site}`,
    `style-src 'self'`,
    ...(editor ? [`style-src-attr 'unsafe-inline'`, `img-src 'self' data:`, `font-src ${site}`, `worker-src blob:`] : [`img-src 'self'`]),
    `base-uri 'none'`,
    `object-src 'none'`,
  ].join('; ');
}

/** A docs author's stylesheet at its worst: everything unset, boxes hidden, text huge and red. */
export const HOSTILE_CSS = `
* { all: unset; }
div, section, svg, form, pre, p, ul, li { display: none !important; }
* { color: red !important; font-size: 40px !important; background: yellow !important; }
layerlab-playground, layerlab-picture { all: unset; }
`;

/** The page: the hostile sheet, the host's own script (a file: no inline script is allowed), the embed unless `withEmbed` is false. */
export const hostPage = (site: string, body: string, withEmbed = true) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A docs page</title>
<link rel="stylesheet" href="/hostile.css">
<script type="module" src="/host.js"></script>
${withEmbed ? `<script type="module" src="${site}/embed/v1/layerlab.js"></script>` : ''}
</head><body><h1>Docs</h1>${body}<output id="log"></output></body></html>`;

/** Types a command into a widget's terminal once it takes keys. */
export async function typeInto(p: Page, widget: string, command: string, timeout = 20_000): Promise<void> {
  const input = p.locator(`#${widget} ll-terminal input`);
  await expect.poll(() => input.isEnabled(), { timeout }).toBe(true);
  await input.fill(command);
  await input.press('Enter');
}
