import type { Selection as D3Selection } from 'd3-selection';
import type { Selection } from '../model/sandbox.machine.js';

/** Whether the node of `kind` and `key` is the learner's selection (a layer by chainID, the others by ID). */
export function isSelectedIn(selected: Selection | null): (kind: Selection['kind'], key: string) => boolean {
  return (kind, key) => selected !== null && selected.kind === kind && (selected.kind === 'layer' ? selected.chainId : selected.id) === key;
}

/**
 * Keyboard and pointer users select the same way: click, Enter or Space. A node's name
 * is its `<title>` (SVG-AAM), which also shows on hover: the full words, where the box
 * may cut its text with … — an aria-label would have to repeat the cut text verbatim
 * (WCAG 2.5.3, label in name).
 */
export function focusable<D>(
  g: D3Selection<SVGGElement, D, SVGGElement, unknown>,
  selection: (d: D) => Selection,
  onSelect?: (s: Selection) => void,
): void {
  g.attr('tabindex', 0)
    .attr('role', 'button')
    .on('click', (_event: MouseEvent, d) => onSelect?.(selection(d)))
    .on('keydown', (event: KeyboardEvent, d) => {
      if (event.key !== 'Enter' && event.key !== ' ') return;
      event.preventDefault();
      onSelect?.(selection(d));
    });
}
