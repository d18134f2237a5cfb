import type { ImageState } from '../engine/state.js';
import { trimCreatedBy } from './docker-format.js';
import type { GraphLayer, GraphMarker } from './layer-graph.view-model.js';

/**
 * Docker: only RUN, COPY and ADD make layers; the other steps are `empty_layer` history
 * entries. Each one sits in the gap between the layers it came between — on the edge
 * from the layer below to the one above, or just above an image's top layer.
 */
export type MarkedStack = Pick<ImageState, 'id' | 'chainIds' | 'history'>;

export function markersOf(images: readonly MarkedStack[], layers: ReadonlyMap<string, GraphLayer>): GraphMarker[] {
  const gaps = new Map<string, { below: GraphLayer | null; above: GraphLayer | null; markers: GraphMarker[]; byKey: Map<string, GraphMarker> }>();
  for (const image of images) {
    let layerIndex = -1;
    let ordinal = 0;
    for (const h of image.history) {
      if (!h.emptyLayer) {
        layerIndex++;
        ordinal = 0;
        continue;
      }
      const below = layerIndex >= 0 ? (layers.get(image.chainIds[layerIndex] ?? '') ?? null) : null;
      const aboveId = image.chainIds[layerIndex + 1];
      const above = aboveId ? (layers.get(aboveId) ?? null) : null;
      const gapKey = `${below?.key ?? 'root'}>${above?.key ?? (below ? 'top' : image.id)}`;
      let gap = gaps.get(gapKey);
      if (!gap) gaps.set(gapKey, (gap = { below, above, markers: [], byKey: new Map() }));
      const createdBy = trimCreatedBy(h.createdBy);
      const key = `${gapKey}#${ordinal++}:${createdBy}`;
      const existing = gap.byKey.get(key);
      if (existing) {
        if (!existing.imageIds.includes(image.id)) existing.imageIds.push(image.id);
        continue;
      }
      const marker: GraphMarker = { key, createdBy, imageIds: [image.id], col: 0, row: 0 };
      gap.byKey.set(key, marker);
      gap.markers.push(marker);
    }
  }
  const out: GraphMarker[] = [];
  for (const gap of gaps.values()) {
    const n = gap.markers.length;
    gap.markers.forEach((m, i) => {
      const f = (i + 1) / (n + 1);
      const from = gap.below ?? (gap.above ? { col: gap.above.col, row: gap.above.row - 1 } : { col: 0, row: -1 });
      const to = gap.above ?? { col: from.col, row: from.row + 1 };
      m.col = from.col + (to.col - from.col) * f;
      m.row = from.row + (to.row - from.row) * f;
      out.push(m);
    });
  }
  return out;
}
