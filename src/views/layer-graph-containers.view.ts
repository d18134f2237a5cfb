import type { Selection as D3Selection } from 'd3-selection';
import { fill } from '../i18n/fill.js';
import { focusable } from './layer-graph-selection.view.js';
import { attrIfChanged, textIfChanged } from './layer-graph-transitions.view.js';
import type { GraphContainer } from './layer-graph.view-model.js';
import type { Draw } from './layer-graph.view.js';

/** Containers, keyed by ID: a box with a status dot, the name, and the status with `docker diff`'s count. */
export function drawContainers(group: D3Selection<SVGGElement, unknown, null, undefined>, containers: readonly GraphContainer[], draw: Draw): void {
  const { g, t, labels } = draw;
  const containerLabel = (d: GraphContainer) =>
    fill(labels.container, { name: d.name, id: d.shortId, status: labels.status[d.status], changes: d.changeCount });
  const containerClass = (d: GraphContainer) =>
    [
      'layer-graph__node',
      'layer-graph__container',
      d.statusClass,
      d.isNew ? 'is-new' : '',
      d.statusChanged ? 'is-changed' : '',
      draw.isSelected('container', d.key) ? 'is-selected' : '',
    ]
      .filter(Boolean)
      .join(' ');
  group
    .selectAll<SVGGElement, GraphContainer>('g.layer-graph__container:not(.is-exiting)')
    .data(containers, (d) => d.key)
    .join(
      (enter) => {
        const n = enter.append('g').attr('transform', g.at);
        focusable(n, (d) => ({ kind: 'container', id: d.id }), draw.onSelect);
        n.append('rect').attr('class', 'layer-graph__box').attr('width', g.w).attr('height', g.h).attr('rx', 4);
        n.append('circle').attr('class', 'layer-graph__status').attr('cx', 12).attr('cy', 12).attr('r', 5);
        n.append('text').attr('class', 'layer-graph__name').attr('x', 24).attr('y', 16);
        n.append('text').attr('class', 'layer-graph__changes').attr('x', 8).attr('y', 36);
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
      attrIfChanged(all, 'class', containerClass);
      textIfChanged(all, 'title', containerLabel);
      textIfChanged(all, 'text.layer-graph__name', (d) => d.name);
      textIfChanged(all, 'text.layer-graph__changes', (d) => `${labels.status[d.status]} · ±${d.changeCount}`);
    });
}
