import { expect } from 'vitest';
import type { Page } from 'playwright-core';

/**
 * Replaces the open file's text (`path`) with what a learner types. The text goes in as one input
 * (as an IME or a paste sends it): key by key, a suggestion list that opens late would
 * take the next Enter, and the test would depend on the machine's speed.
 */
export async function typeDockerfile(page: Page, lines: string[], path = 'Dockerfile'): Promise<void> {
  await page.click('ll-editor .monaco .view-lines');
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(lines.join('\n'));
  await page.keyboard.press('Escape');
  await expect.poll(() => editorFiles(page).then((files) => files.find((f) => f.path === path)?.content)).toBe(lines.join('\n'));
}

/** The editor's files as they are now. */
export const editorFiles = (page: Page) =>
  page.evaluate(() => (document.querySelector('ll-editor') as unknown as { contextFiles(): { path: string; content: string }[] }).contextFiles());

/** The annotation list: `line kind cached text` per instruction. */
export const annotations = (page: Page) =>
  page.$$eval('ll-editor [data-annotations] li', (items) =>
    items.map((li) => ({
      line: Number((li as HTMLElement).dataset.line),
      kind: (li as HTMLElement).dataset.kind,
      cached: (li as HTMLElement).dataset.cached,
      text: li.textContent ?? '',
    })),
  );
