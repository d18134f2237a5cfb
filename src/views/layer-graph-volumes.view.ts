import type { Selection as D3Selection } from 'd3-selection';
import { fill } from '../i18n/fill.js';
import { attrIfChanged, textIfChanged } from './layer-graph-transitions.view.js';
import type { GraphVolume } from './layer-graph.view-model.js';
import type { Draw } from './layer-graph.view.js';

/**
 * Volumes, keyed by name: a rounded box with the name and where it is mounted, its links
 * drawn with the edges. Not selectable: a volume's files are in no layer, so the picture's
 * file tree has nothing of it to show; its `<title>` says who mounts it.
 */
export function drawVolumes(group: D3Selection<SVGGElement, unknown, null, undefined>, volumes: readonly GraphVolume[], draw: Draw): void {
  const { g, t, labels } = draw;
  const mounts = (d: GraphVolume) => d.mounts.map((m) => `${m.container}:${m.destination}${m.readOnly ? ':ro' : ''}`).join(', ');
  const volumeLabel = (d: GraphVolume) =>
    d.mounts.length ? fill(labels.volume, { name: d.name, mounts: mounts(d) }) : fill(labels.volumeUnused, { name: d.name });
  const destinations = (d: GraphVolume) => [...new Set(d.mounts.map((m) => m.destination))].join(' ');
  group
    .selectAll<SVGGElement, GraphVolume>('g.layer-graph__volume:not(.is-exiting)')
    .data(volumes, (d) => d.key)
    .join(
      (enter) => {
        const n = enter.append('g').attr('transform', g.at).attr('role', 'img');
        n.append('rect').attr('class', 'layer-graph__box').attr('width', g.w).attr('height', g.h).attr('rx', 12);
        n.append('text').attr('class', 'layer-graph__name').attr('x', 10).attr('y', 18);
        n.append('text').attr('class', 'layer-graph__mounts').attr('x', 10).attr('y', 36);
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
      attrIfChanged(all, 'class', (d) =>
        ['layer-graph__volume', d.anonymous ? 'is-anonymous' : '', d.isNew ? 'is-new' : ''].filter(Boolean).join(' '),
      );
      attrIfChanged(all, 'aria-label', volumeLabel);
      attrIfChanged(all, 'data-volume', (d) => d.name);
      textIfChanged(all, 'title', volumeLabel);
      textIfChanged(all, 'text.layer-graph__name', (d) => `⛁ ${d.label}`);
      textIfChanged(all, 'text.layer-graph__mounts', destinations);
    });
}
