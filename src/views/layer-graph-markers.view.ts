import type { Selection as D3Selection } from 'd3-selection';
import { fill } from '../i18n/fill.js';
import type { GraphMarker } from './layer-graph.view-model.js';
import type { Draw } from './layer-graph.view.js';

/** Empty-layer markers (ENV, CMD…): a dot in the gap between two layers, its step as its title. */
export function drawMarkers(
  group: D3Selection<SVGGElement, unknown, null, undefined>,
  markers: readonly GraphMarker[],
  { g, t, labels }: Draw,
): void {
  // Markers keep to the right of a gap, image tags to the left: both live between rows.
  const markerAt = (d: GraphMarker) => `translate(${g.x(d.col) + g.w - 10},${g.y(d.row) + g.h / 2})`;
  group
    .selectAll<SVGGElement, GraphMarker>('g:not(.is-exiting)')
    .data(markers, (d) => d.key)
    .join(
      (enter) => {
        const m = enter.append('g').attr('class', 'layer-graph__marker').attr('transform', markerAt);
        m.append('circle').attr('r', 4);
        m.append('title').text((d) => fill(labels.marker, { createdBy: d.createdBy }));
        return t.enterFade(m);
      },
      (update) => {
        t.moveAttr(update, 'transform', markerAt);
        return update;
      },
      (exit) => t.exitFade(exit),
    );
}
