import { shortId } from '../engine/digest.js';
import type { LayerState, StateSnapshot } from '../engine/state.js';
import { humanSize, trimCreatedBy } from './docker-format.js';
import type { Grid } from './layer-graph-grid.view-model.js';
import type { GraphLayer } from './layer-graph.view-model.js';

/**
 * The graph's layer nodes, one per chainID however many images hold it: a layer is
 * placed once, the first time an image, a build or the loose layers name it, in the
 * grid's slot above its parent.
 */
export class LayerNodes {
  readonly byKey = new Map<string, GraphLayer>();
  readonly #state: ReadonlyMap<string, LayerState>;
  readonly #prev: ReadonlySet<string> | null;
  readonly #grid: Grid;

  /** `prev`: the snapshot drawn before, whose layers are not new; none on a first draw. */
  constructor(state: ReadonlyMap<string, LayerState>, prev: StateSnapshot | null | undefined, grid: Grid) {
    this.#state = state;
    this.#prev = prev ? new Set(prev.layers.map((l) => l.chainId)) : null;
    this.#grid = grid;
  }

  /** The node for `chainId`, placed at `depth` above its parent's column if it has none yet. */
  add(chainId: string, diffId: string, parentKey: string | null, depth: number, fallbackCreatedBy: string): GraphLayer {
    const existing = this.byKey.get(chainId);
    if (existing) return existing;
    const parent = parentKey ? this.byKey.get(parentKey) : undefined;
    const p = this.#grid.take(depth, parent ? parent.col : null);
    const layer = this.#state.get(chainId);
    const createdBy = trimCreatedBy(layer?.createdBy ?? fallbackCreatedBy);
    const size = layer?.size ?? 0;
    const node: GraphLayer = {
      key: chainId,
      chainId,
      diffId,
      shortId: shortId(diffId),
      parentKey,
      createdBy,
      size,
      sizeLabel: humanSize(size),
      tags: [],
      topOf: [],
      usedBy: 0,
      building: false,
      isNew: this.#prev !== null && !this.#prev.has(chainId),
      col: p.col,
      row: p.row,
    };
    this.byKey.set(chainId, node);
    return node;
  }

  /** Layers no image holds any more (build cache, dangling): placed after everything else, parents first. */
  addLoose(layers: readonly LayerState[]): void {
    for (const layer of layers) this.#addLoose(layer);
  }

  #addLoose(layer: LayerState): void {
    if (this.byKey.has(layer.chainId)) return;
    const parent = layer.parent ? this.#state.get(layer.parent) : undefined;
    if (parent) this.#addLoose(parent);
    this.add(layer.chainId, layer.diffId, parent ? parent.chainId : null, this.#depthOf(layer.chainId), layer.createdBy);
  }

  #depthOf(chainId: string): number {
    let d = 0;
    for (let l = this.#state.get(chainId); l?.parent; l = this.#state.get(l.parent)) d++;
    return d;
  }
}
