import type { ContainerState, StateSnapshot } from '../engine/state.js';
import type { Grid } from './layer-graph-grid.view-model.js';
import type { GraphContainer, GraphImage } from './layer-graph.view-model.js';

/** The graph's containers: each a writable layer over its image's top layer. */
export class ContainerNodes {
  readonly list: GraphContainer[] = [];
  readonly #grid: Grid;
  readonly #prev: ReadonlyMap<string, ContainerState> | null;

  constructor(grid: Grid, prev: StateSnapshot | null | undefined) {
    this.#grid = grid;
    this.#prev = prev ? new Map(prev.containers.map((c) => [c.id, c])) : null;
  }

  /** `image`: the container's image as placed, if it is still there. */
  add(c: ContainerState, image: GraphImage | undefined): void {
    // A container's writable layer is the upper dir over its image's layers: one row above the top.
    const p = image ? this.#grid.take(image.row + 1, image.col) : this.#grid.take(0, null);
    const before = this.#prev?.get(c.id);
    this.list.push({
      key: c.id,
      id: c.id,
      shortId: c.id.slice(0, 12),
      name: c.name,
      status: c.status,
      statusClass: `container--${c.status}`,
      changeCount: c.changes.length,
      imageId: c.imageId,
      parentKey: image?.topKey ?? null,
      isNew: this.#prev !== null && !before,
      statusChanged: before !== undefined && before.status !== c.status,
      col: p.col,
      row: p.row,
    });
  }
}
