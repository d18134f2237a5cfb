import type { Selection as D3Selection } from 'd3-selection';
import { fill } from '../i18n/fill.js';
import { ellipsis } from './docker-format.js';
import { fits } from './layer-graph-geometry.view.js';
import { focusable } from './layer-graph-selection.view.js';
import { attrIfChanged, textIfChanged } from './layer-graph-transitions.view.js';
import type { GraphLayer } from './layer-graph.view-model.js';
import type { Draw } from './layer-graph.view.js';

/** Layers, keyed by chainID: a box with the short diffID, size and instruction; shared, loose, building, new, selected and linked as classes. */
export function drawLayers(group: D3Selection<SVGGElement, unknown, null, undefined>, layers: readonly GraphLayer[], draw: Draw): void {
  const { g, t, labels } = draw;
  const layerLabel = (d: GraphLayer) =>
    fill(labels.layer, { id: d.shortId, createdBy: d.createdBy, size: d.sizeLabel, tags: d.tags.join(', '), images: d.usedBy });
  const layerClass = (d: GraphLayer) =>
    [
      'layer-graph__node',
      'layer-graph__layer',
      d.usedBy > 1 ? 'is-shared' : '',
      d.building ? 'is-building' : d.usedBy === 0 ? 'is-loose' : '',
      d.isNew ? 'is-new' : '',
      draw.isSelected('layer', d.key) ? 'is-selected' : '',
      draw.linked != null && d.diffId === draw.linked ? 'is-linked' : '',
    ]
      .filter(Boolean)
      .join(' ');
  group
    .selectAll<SVGGElement, GraphLayer>('g.layer-graph__layer:not(.is-exiting)')
    .data(layers, (d) => d.key)
    .join(
      (enter) => {
        const n = enter.append('g').attr('transform', g.at);
        focusable(n, (d) => ({ kind: 'layer', chainId: d.key }), draw.onSelect);
        n.append('rect').attr('class', 'layer-graph__box').attr('width', g.w).attr('height', g.h).attr('rx', 4);
        n.append('text').attr('class', 'layer-graph__id').attr('x', 8).attr('y', 16);
        n.append('text')
          .attr('class', 'layer-graph__size')
          .attr('x', g.w - 8)
          .attr('y', 16)
          .attr('text-anchor', 'end');
        n.append('text').attr('class', 'layer-graph__cmd').attr('x', 8).attr('y', 36);
        n.append('title');
        return t.enterFade(n);
      },
      (update) => {
        t.moveAttr(update, 'transform', g.at);
        return update;
      },
      (exit) => t.exitFade(exit),
    )
    .call((all) => {
      attrIfChanged(all, 'class', layerClass);
      textIfChanged(all, 'text.layer-graph__id', (d) => d.shortId);
      textIfChanged(all, 'text.layer-graph__size', (d) => d.sizeLabel);
      textIfChanged(all, 'text.layer-graph__cmd', (d) => ellipsis(d.createdBy, fits(g.w - 16)));
      textIfChanged(all, 'title', layerLabel);
    });
}
