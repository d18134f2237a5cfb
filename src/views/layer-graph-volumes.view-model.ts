import type { StateSnapshot } from '../engine/state.js';
import type { Grid } from './layer-graph-grid.view-model.js';
import type { GraphContainer, GraphEdge, GraphVolume } from './layer-graph.view-model.js';

/**
 * The session's volumes (`docker volume ls`): each a node above the containers that mount
 * it — a volume's files are in no layer, so it stands beside the stacks, not in one —
 * with a link from each of those containers, stopped ones too (they still hold it: `volume
 * rm` refuses). A volume no container holds takes a column of its own at the bottom.
 */
export function volumesOf(
  state: StateSnapshot,
  containers: readonly GraphContainer[],
  grid: Grid,
  prev: StateSnapshot | null | undefined,
): { volumes: GraphVolume[]; edges: GraphEdge[] } {
  const byId = new Map(containers.map((c) => [c.id, c]));
  const mounts = new Map<string, { container: GraphContainer; destination: string; readOnly: boolean }[]>();
  for (const c of state.containers) {
    const node = byId.get(c.id);
    if (!node) continue;
    for (const m of c.volumes ?? []) {
      const list = mounts.get(m.name) ?? [];
      list.push({ container: node, destination: m.destination, readOnly: m.readOnly });
      mounts.set(m.name, list);
    }
  }
  const before = prev ? new Set((prev.volumes ?? []).map((v) => v.name)) : null;
  const volumes: GraphVolume[] = [];
  const edges: GraphEdge[] = [];
  for (const v of state.volumes ?? []) {
    const held = mounts.get(v.name) ?? [];
    const top = held.reduce<GraphContainer | undefined>((a, m) => (!a || m.container.row > a.row ? m.container : a), undefined);
    const p = top ? grid.take(top.row + 1, held[0]!.container.col) : grid.take(0, null);
    const node: GraphVolume = {
      key: volumeKey(v),
      name: v.name,
      // An anonymous volume's name is 64 hex, shown short as IDs are.
      label: v.anonymous ? v.name.slice(0, 12) : v.name,
      anonymous: v.anonymous,
      mounts: held.map((m) => ({ container: m.container.name, destination: m.destination, readOnly: m.readOnly })),
      isNew: before !== null && !before.has(v.name),
      col: p.col,
      row: p.row,
    };
    volumes.push(node);
    for (const m of held)
      edges.push({
        key: `${m.container.key}>${node.key}`,
        kind: 'volume',
        from: m.container.key,
        to: node.key,
        fromCol: m.container.col,
        fromRow: m.container.row,
        toCol: node.col,
        toRow: node.row,
      });
  }
  return { volumes, edges };
}

const volumeKey = (v: { name: string }) => `volume:${v.name}`;
