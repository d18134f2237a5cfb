import type { Selection as D3Selection } from 'd3-selection';
import type { GraphEdge } from './layer-graph.view-model.js';
import type { Draw } from './layer-graph.view.js';

/** Edges: a curve from the top of the lower node to the bottom of the upper one, keyed `from>to`. */
export function drawEdges(group: D3Selection<SVGGElement, unknown, null, undefined>, edges: readonly GraphEdge[], { g, t }: Draw): void {
  const edgePath = (e: GraphEdge) => {
    const x1 = g.x(e.fromCol) + g.w / 2;
    const y1 = g.y(e.fromRow);
    const x2 = g.x(e.toCol) + g.w / 2;
    const y2 = g.y(e.toRow) + g.h;
    const mid = (y1 + y2) / 2;
    return `M${x1},${y1}C${x1},${mid} ${x2},${mid} ${x2},${y2}`;
  };
  group
    .selectAll<SVGPathElement, GraphEdge>('path:not(.is-exiting)')
    .data(edges, (d) => d.key)
    .join(
      (enter) =>
        t.enterFade(
          enter
            .append('path')
            .attr('class', (d) => `layer-graph__edge layer-graph__edge--${d.kind}`)
            .attr('d', edgePath),
        ),
      (update) => {
        t.moveAttr(update, 'd', edgePath);
        return update;
      },
      (exit) => t.exitFade(exit),
    );
}
