/**
 * How the pictures word Docker's own data. Sizes and `…` cuts come from the engine's
 * formatters (src/engine/format/size.ts, src/engine/cli/ellipsis.ts), so a label in the
 * graph reads exactly as the CLI prints it.
 */
export { tableSize as humanSize } from '../engine/format/size.js';
export { ellipsis } from '../engine/cli/ellipsis.js';

/**
 * The legacy builder records metadata steps as `/bin/sh -c #(nop)  CMD ["sh"]`; what the
 * learner wrote is the part after `#(nop)`. BuildKit's `RUN … # buildkit` comment
 * likewise says nothing about the step. Docker's history also flattens tabs.
 */
export function trimCreatedBy(createdBy: string): string {
  return createdBy
    .replace(/\t/g, ' ')
    .replace(/^\/bin\/sh -c #\(nop\)\s*/, '')
    .replace(/\s+# buildkit$/, '')
    .trim();
}
