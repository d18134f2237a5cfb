import type { ShikiConfig } from '@astrojs/markdown-remark';

type ShikiTransformer = NonNullable<ShikiConfig['transformers']>[number];

/**
 * The word after a code block's language that makes it an example only: ```sh illustrative
 * shows commands with no run or copy button, and the lessons' text-commands check
 * (test/lessons/text-commands.test.ts) does not ask the replay to run them.
 */
export const ILLUSTRATIVE = 'illustrative';

/** Whether a code block's info string after the language (`sh illustrative` → `illustrative`) marks it an example. */
export function isIllustrative(meta: string | undefined): boolean {
  return (meta ?? '').trim().split(/\s+/).includes(ILLUSTRATIVE);
}

/**
 * Shiki gives a block's meta to transformers only: this one carries the mark to the
 * `<pre>` CodeBlock.astro stands in for, as `data-illustrative`.
 */
export const illustrativeCode: ShikiTransformer = {
  name: 'layerlab:illustrative-code',
  pre(node) {
    if (isIllustrative(this.options.meta?.__raw)) node.properties.dataIllustrative = 'true';
  },
};
