import type { Selection as D3Selection } from 'd3-selection';
import { fill } from '../i18n/fill.js';
import { ellipsis } from './docker-format.js';
import { fits } from './layer-graph-geometry.view.js';
import { focusable } from './layer-graph-selection.view.js';
import { attrIfChanged, textIfChanged } from './layer-graph-transitions.view.js';
import type { GraphImage } from './layer-graph.view-model.js';
import type { Draw } from './layer-graph.view.js';

/** Image labels, keyed by image ID: tags (or untagged, or a running build's step) above the top layer, stacked when images share it. */
export function drawImages(group: D3Selection<SVGGElement, unknown, null, undefined>, images: readonly GraphImage[], draw: Draw): void {
  const { g, t, labels } = draw;
  const imageText = (d: GraphImage) =>
    d.building ? fill(labels.building, { step: d.building.step, total: d.building.total }) : d.tags.length ? d.tags.join(', ') : labels.untagged;
  const imageAt = (d: GraphImage) => `translate(${g.x(d.col)},${g.y(d.row) - 6 - d.stack * 14})`;
  group
    .selectAll<SVGGElement, GraphImage>('g.layer-graph__image:not(.is-exiting)')
    .data(images, (d) => d.key)
    .join(
      (enter) => {
        const n = enter.append('g').attr('class', 'layer-graph__image').attr('transform', imageAt);
        // A running build's image cannot be selected: it is no image yet (the build's layers can).
        focusable(
          n.filter((d) => d.building === null),
          (d) => ({ kind: 'image', id: d.id }),
          draw.onSelect,
        );
        n.append('text');
        n.append('title');
        return t.enterFade(n);
      },
      (update) => {
        t.moveAttr(update, 'transform', imageAt);
        return update;
      },
      (exit) => t.exitFade(exit),
    )
    .call((all) => {
      attrIfChanged(
        all,
        'class',
        (d) =>
          `layer-graph__image${d.building ? ' is-building' : ''}${d.isNew ? ' is-new' : ''}${draw.isSelected('image', d.key) ? ' is-selected' : ''}`,
      );
      textIfChanged(all, 'text', (d) => ellipsis(imageText(d), fits(g.w - 24)));
      textIfChanged(all, 'title', (d) => fill(labels.image, { tags: imageText(d), id: d.shortId, size: d.sizeLabel }));
    });
}
