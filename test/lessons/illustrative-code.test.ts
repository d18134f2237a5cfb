import { createShikiHighlighter } from '@astrojs/markdown-remark';
import { describe, expect, it } from 'vitest';
import { illustrativeCode, isIllustrative } from '../../src/lessons/illustrative-code.js';

// Astro's own highlighter, as it renders a lesson's code blocks: the mark must reach the
// <pre> that CodeBlock.astro reads, or an example would get a run button.
describe('```sh illustrative', () => {
  it('marks the block’s <pre> with data-illustrative, and only that block', async () => {
    const shiki = await createShikiHighlighter();
    const html = (meta?: string) => shiki.codeToHtml('docker rm x', 'sh', { ...(meta ? { meta } : {}), transformers: [illustrativeCode] });
    expect(await html('illustrative')).toMatch(/^<pre [^>]*data-illustrative="true"/);
    expect(await html('title="x" illustrative')).toMatch(/^<pre [^>]*data-illustrative="true"/);
    expect(await html()).not.toContain('data-illustrative');
    expect(await html('illustration')).not.toContain('data-illustrative');
  });

  it('is the word after the language, alone', () => {
    expect(isIllustrative('illustrative')).toBe(true);
    expect(isIllustrative(' a illustrative ')).toBe(true);
    expect(isIllustrative('non-illustrative')).toBe(false);
    expect(isIllustrative(undefined)).toBe(false);
  });
});
