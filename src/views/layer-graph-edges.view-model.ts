import type { GraphContainer, GraphEdge, GraphLayer } from './layer-graph.view-model.js';

/** The graph's edges: each layer from its parent, each container from its image's top layer. */
export function edgesOf(layers: ReadonlyMap<string, GraphLayer>, containers: readonly GraphContainer[]): GraphEdge[] {
  const edges: GraphEdge[] = [];
  for (const l of layers.values()) {
    const from = l.parentKey ? layers.get(l.parentKey) : undefined;
    if (from) edges.push(edge('layer', from, l));
  }
  for (const c of containers) {
    const from = c.parentKey ? layers.get(c.parentKey) : undefined;
    if (from) edges.push(edge('container', from, c));
  }
  return edges;
}

function edge(kind: GraphEdge['kind'], from: { key: string; col: number; row: number }, to: { key: string; col: number; row: number }): GraphEdge {
  return { key: `${from.key}>${to.key}`, kind, from: from.key, to: to.key, fromCol: from.col, fromRow: from.row, toCol: to.col, toRow: to.row };
}
