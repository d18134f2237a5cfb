import { shortId } from '../engine/digest.js';
import type { BuildState, HistoryState, ImageState, LayerState, StateSnapshot } from '../engine/state.js';
import { humanSize } from './docker-format.js';
import type { Grid } from './layer-graph-grid.view-model.js';
import type { LayerNodes } from './layer-graph-layers.view-model.js';
import type { GraphImage } from './layer-graph.view-model.js';

/** An image, or what a running build has made of one so far. */
interface Stack {
  key: string;
  id: string;
  tags: readonly string[];
  chainIds: readonly string[];
  diffIds: readonly string[];
  history: readonly HistoryState[];
  size: number;
  /** In the previous snapshot: not new. */
  existed: boolean;
  building: BuildState | null;
}

/** A running build's image key: never an image ID, so the finished image enters as itself. */
export function buildKey(id: string): string {
  return `build:${id}`;
}

/**
 * The graph's image labels, and the layers each image (or running build) stands on:
 * placing one places its layers bottom-up, counts it as a user of each, and labels its
 * top layer — one label above another when images share a top layer.
 */
export class ImageNodes {
  readonly list: GraphImage[] = [];
  readonly byKey = new Map<string, GraphImage>();
  readonly #labelsOn = new Map<string | null, number>();
  readonly #layersById: ReadonlyMap<string, LayerState>;
  readonly #layers: LayerNodes;
  readonly #grid: Grid;
  readonly #prev: StateSnapshot | null | undefined;
  readonly #prevImages: ReadonlySet<string>;
  readonly #prevBuilds: ReadonlySet<string>;

  constructor(layersById: ReadonlyMap<string, LayerState>, layers: LayerNodes, grid: Grid, prev: StateSnapshot | null | undefined) {
    this.#layersById = layersById;
    this.#layers = layers;
    this.#grid = grid;
    this.#prev = prev;
    this.#prevImages = new Set(prev?.images.map((i) => i.id));
    this.#prevBuilds = new Set(prev?.builds?.map((b) => b.id));
  }

  addImage(image: ImageState): void {
    this.#add({
      key: image.id,
      id: image.id,
      tags: image.repoTags,
      chainIds: image.chainIds,
      diffIds: image.diffIds,
      history: image.history,
      size: image.size,
      existed: this.#prevImages.has(image.id),
      building: null,
    });
  }

  addBuild(build: BuildState): void {
    this.#add({
      key: buildKey(build.id),
      id: build.id,
      tags: [],
      chainIds: build.chainIds,
      diffIds: build.diffIds,
      history: build.history,
      // Docker: an image's size is the sum of its layers'.
      size: build.chainIds.reduce((n, c) => n + (this.#layersById.get(c)?.size ?? 0), 0),
      existed: this.#prevBuilds.has(build.id),
      building: build,
    });
  }

  #add(stack: Stack): void {
    const filled = stack.history.filter((h) => !h.emptyLayer);
    stack.chainIds.forEach((chainId, i) => {
      const node = this.#layers.add(chainId, stack.diffIds[i] ?? chainId, i > 0 ? stack.chainIds[i - 1]! : null, i, filled[i]?.createdBy ?? '');
      // A running build's image is not an image yet: it lights its own layers but adds no user.
      if (!stack.building) node.usedBy++;
      else if (i >= stack.building.baseLayers) node.building = true;
    });
    const topKey = stack.chainIds[stack.chainIds.length - 1] ?? null;
    const top = topKey ? this.#layers.byKey.get(topKey)! : null;
    if (top && !stack.building) {
      top.topOf.push(stack.id);
      top.tags.push(...stack.tags);
    }
    // An image without layers (`FROM scratch` with metadata only) still needs a place to stand.
    const anchor = top ? { col: top.col, row: top.row } : this.#grid.take(0, null);
    const labelled = this.#labelsOn.get(topKey) ?? 0;
    if (top) this.#labelsOn.set(topKey, labelled + 1);
    const node: GraphImage = {
      key: stack.key,
      id: stack.id,
      shortId: stack.building ? stack.id : shortId(stack.id),
      tags: [...stack.tags],
      topKey,
      layerCount: stack.chainIds.length,
      size: stack.size,
      sizeLabel: humanSize(stack.size),
      isNew: this.#prev != null && !stack.existed,
      col: anchor.col,
      row: anchor.row,
      stack: labelled,
      building: stack.building ? { step: stack.building.step, total: stack.building.total } : null,
    };
    this.list.push(node);
    this.byKey.set(stack.key, node);
  }
}
