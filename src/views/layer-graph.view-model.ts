import { shortId } from '../engine/digest.js';
import type { BuildState, ContainerStatus, HistoryState, ImageState, LayerState, StateSnapshot } from '../engine/state.js';
import { humanSize, trimCreatedBy } from './docker-format.js';
import { markersOf, type MarkedStack } from './layer-graph-markers.view-model.js';

/**
 * The layer graph as data: what `renderLayerGraph` draws, computed from a state
 * snapshot and nothing else. Positions are grid units — `col` across, `row` up from
 * the base (row 0) — and the renderer scales and flips them.
 */
export interface LayerGraph {
  layers: GraphLayer[];
  containers: GraphContainer[];
  images: GraphImage[];
  markers: GraphMarker[];
  edges: GraphEdge[];
  /** Grid extent: every node has 0 ≤ col < cols and row < rows. */
  cols: number;
  rows: number;
}

export interface GraphLayer {
  /** The chainID: a layer's identity with everything below it (OCI image spec). */
  key: string;
  chainId: string;
  diffId: string;
  /** 12 hex of the diffID, as the learner sees IDs everywhere. */
  shortId: string;
  parentKey: string | null;
  /** The instruction, trimmed as `docker history` would show the learner's words. */
  createdBy: string;
  size: number;
  sizeLabel: string;
  /** Tags of the images whose top layer this is. */
  tags: string[];
  /** IDs of the images whose top layer this is. */
  topOf: string[];
  /** How many images have this layer. More than one: drawn once, shared. */
  usedBy: number;
  /** Made by a build still running, and in no image yet. */
  building: boolean;
  isNew: boolean;
  col: number;
  row: number;
}

export interface GraphContainer {
  key: string;
  id: string;
  shortId: string;
  name: string;
  status: ContainerStatus;
  /** `container--running`, `container--exited`, …: the state as a CSS class. */
  statusClass: string;
  /** Entries of `docker diff`: what the writable layer holds against the image. */
  changeCount: number;
  imageId: string;
  /** The image's top layer the writable layer sits on; null for an image with no layers or no longer present. */
  parentKey: string | null;
  isNew: boolean;
  statusChanged: boolean;
  col: number;
  row: number;
}

export interface GraphImage {
  /** The image ID; `build:<build ID>` for a build still running. */
  key: string;
  id: string;
  shortId: string;
  /** `repo:tag`s; empty for a dangling image (`<none>:<none>`). */
  tags: string[];
  topKey: string | null;
  layerCount: number;
  size: number;
  sizeLabel: string;
  isNew: boolean;
  col: number;
  row: number;
  /** Images sharing one top layer (same layers, other config) are labelled one above another. */
  stack: number;
  /** A build still running: its image as far as its finished steps go. Null for an image. */
  building: { step: number; total: number } | null;
}

/** An `empty_layer` history step (ENV, CMD, WORKDIR…): a light mark between two layers. */
export interface GraphMarker {
  key: string;
  createdBy: string;
  imageIds: string[];
  col: number;
  row: number;
}

export interface GraphEdge {
  key: string;
  kind: 'layer' | 'container';
  from: string;
  to: string;
  fromCol: number;
  fromRow: number;
  toCol: number;
  toRow: number;
}

/** How far right a branch looks for a free slot before opening a new column. */
const SCAN = 8;

interface Pos {
  col: number;
  row: number;
}

/**
 * Lays the snapshot out as a tree by chainID. Layers shared by several images are one
 * node; images and containers are placed in creation order, each taking the free slot
 * above its parent (or the nearest free one to the right), so adding a newer image or
 * container never moves anything already drawn. Linear in the number of nodes.
 */
export function toLayerGraph(state: StateSnapshot, prev?: StateSnapshot | null): LayerGraph {
  const layersById = new Map<string, LayerState>();
  for (const l of state.layers) layersById.set(l.chainId, l);
  const prevLayers = new Set(prev?.layers.map((l) => l.chainId));
  const prevImages = new Set(prev?.images.map((i) => i.id));
  const prevContainers = new Map(prev?.containers.map((c) => [c.id, c]));

  const occupied = new Set<string>();
  const pos = new Map<string, Pos>();
  let cols = 0;
  let rows = 0;
  const take = (row: number, preferred: number | null): Pos => {
    let col = -1;
    if (preferred !== null) {
      for (let c = preferred; c <= preferred + SCAN && c < cols + 1; c++) {
        if (!occupied.has(`${c},${row}`)) {
          col = c;
          break;
        }
      }
    }
    if (col < 0) col = cols;
    occupied.add(`${col},${row}`);
    cols = Math.max(cols, col + 1);
    rows = Math.max(rows, row + 1);
    return { col, row };
  };

  const layerNodes = new Map<string, GraphLayer>();
  const addLayer = (chainId: string, diffId: string, parentKey: string | null, depth: number, fallbackCreatedBy: string) => {
    const existing = layerNodes.get(chainId);
    if (existing) return existing;
    const parentPos = parentKey ? pos.get(parentKey) : undefined;
    const p = take(depth, parentPos ? parentPos.col : null);
    pos.set(chainId, p);
    const layer = layersById.get(chainId);
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
      isNew: prev != null && !prevLayers.has(chainId),
      col: p.col,
      row: p.row,
    };
    layerNodes.set(chainId, node);
    return node;
  };

  const imageNodes: GraphImage[] = [];
  const imageById = new Map<string, GraphImage>();
  const labelsOn = new Map<string | null, number>();
  const placeStack = (stack: Stack) => {
    const filled = stack.history.filter((h) => !h.emptyLayer);
    stack.chainIds.forEach((chainId, i) => {
      const node = addLayer(chainId, stack.diffIds[i] ?? chainId, i > 0 ? stack.chainIds[i - 1]! : null, i, filled[i]?.createdBy ?? '');
      // A running build's image is not an image yet: it lights its own layers but adds no user.
      if (!stack.building) node.usedBy++;
      else if (i >= stack.building.baseLayers) node.building = true;
    });
    const topKey = stack.chainIds[stack.chainIds.length - 1] ?? null;
    const top = topKey ? layerNodes.get(topKey)! : null;
    if (top && !stack.building) {
      top.topOf.push(stack.id);
      top.tags.push(...stack.tags);
    }
    // An image without layers (`FROM scratch` with metadata only) still needs a place to stand.
    const anchor = top ? { col: top.col, row: top.row } : take(0, null);
    const labelled = labelsOn.get(topKey) ?? 0;
    if (top) labelsOn.set(topKey, labelled + 1);
    const node: GraphImage = {
      key: stack.key,
      id: stack.id,
      shortId: stack.building ? stack.id : shortId(stack.id),
      tags: [...stack.tags],
      topKey,
      layerCount: stack.chainIds.length,
      size: stack.size,
      sizeLabel: humanSize(stack.size),
      isNew: prev != null && !stack.existed,
      col: anchor.col,
      row: anchor.row,
      stack: labelled,
      building: stack.building ? { step: stack.building.step, total: stack.building.total } : null,
    };
    imageNodes.push(node);
    imageById.set(stack.key, node);
  };
  const placeImage = (image: ImageState) =>
    placeStack({
      key: image.id,
      id: image.id,
      tags: image.repoTags,
      chainIds: image.chainIds,
      diffIds: image.diffIds,
      history: image.history,
      size: image.size,
      existed: prevImages.has(image.id),
      building: null,
    });
  const prevBuilds = new Set(prev?.builds?.map((b) => b.id));
  const placeBuild = (build: BuildState) =>
    placeStack({
      key: buildKey(build.id),
      id: build.id,
      tags: [],
      chainIds: build.chainIds,
      diffIds: build.diffIds,
      history: build.history,
      // Docker: an image's size is the sum of its layers'.
      size: build.chainIds.reduce((n, c) => n + (layersById.get(c)?.size ?? 0), 0),
      existed: prevBuilds.has(build.id),
      building: build,
    });

  // Creation order, ties kept in the engine's order: a newer entity never displaces an older one.
  type Entity = { t: number; kind: 0 | 1 | 2; index: number };
  const builds = state.builds ?? [];
  const entities: Entity[] = [
    ...state.images.map((i, index): Entity => ({ t: timeOf(i.created), kind: 0, index })),
    ...state.containers.map((c, index): Entity => ({ t: timeOf(c.created), kind: 1, index })),
    ...builds.map((b, index): Entity => ({ t: timeOf(b.started), kind: 2, index })),
  ];
  entities.sort((a, b) => a.t - b.t || a.kind - b.kind || a.index - b.index);

  const imagesById = new Map(state.images.map((i) => [i.id, i]));
  const containerNodes: GraphContainer[] = [];
  for (const e of entities) {
    if (e.kind === 2) {
      placeBuild(builds[e.index]!);
      continue;
    }
    if (e.kind === 0) {
      const image = state.images[e.index]!;
      if (!imageById.has(image.id)) placeImage(image);
      continue;
    }
    const c = state.containers[e.index]!;
    const image = imagesById.get(c.imageId);
    if (image && !imageById.has(image.id)) placeImage(image);
    const img = imageById.get(c.imageId);
    const parentKey = img?.topKey ?? null;
    // A container's writable layer is the upper dir over its image's layers: one row above the top.
    const p = img ? take(img.row + 1, img.col) : take(0, null);
    const before = prevContainers.get(c.id);
    containerNodes.push({
      key: c.id,
      id: c.id,
      shortId: c.id.slice(0, 12),
      name: c.name,
      status: c.status,
      statusClass: `container--${c.status}`,
      changeCount: c.changes.length,
      imageId: c.imageId,
      parentKey,
      isNew: prev != null && !before,
      statusChanged: before !== undefined && before.status !== c.status,
      col: p.col,
      row: p.row,
    });
  }

  // Layers no image holds any more (build cache, dangling): after everything else, parents first.
  const depthOf = (chainId: string): number => {
    let d = 0;
    for (let l = layersById.get(chainId); l?.parent; l = layersById.get(l.parent)) d++;
    return d;
  };
  const placeLoose = (layer: LayerState) => {
    if (layerNodes.has(layer.chainId)) return;
    const parent = layer.parent ? layersById.get(layer.parent) : undefined;
    if (parent) placeLoose(parent);
    addLayer(layer.chainId, layer.diffId, parent ? parent.chainId : null, depthOf(layer.chainId), layer.createdBy);
  };
  for (const layer of state.layers) placeLoose(layer);

  const layers = [...layerNodes.values()];
  // A build's cached step can reuse a layer an image already holds: that one is built, not building.
  for (const l of layers) if (l.usedBy > 0) l.building = false;
  const edges: GraphEdge[] = [];
  for (const l of layers) {
    const from = l.parentKey ? layerNodes.get(l.parentKey) : undefined;
    if (from) edges.push(edge('layer', from, l));
  }
  for (const c of containerNodes) {
    const from = c.parentKey ? layerNodes.get(c.parentKey) : undefined;
    if (from) edges.push(edge('container', from, c));
  }

  const stacks: MarkedStack[] = [...state.images, ...builds.map((b) => ({ id: buildKey(b.id), chainIds: b.chainIds, history: b.history }))];
  return { layers, containers: containerNodes, images: imageNodes, markers: markersOf(stacks, layerNodes), edges, cols, rows };
}

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
function buildKey(id: string): string {
  return `build:${id}`;
}

function edge(kind: GraphEdge['kind'], from: { key: string; col: number; row: number }, to: { key: string; col: number; row: number }): GraphEdge {
  return { key: `${from.key}>${to.key}`, kind, from: from.key, to: to.key, fromCol: from.col, fromRow: from.row, toCol: to.col, toRow: to.row };
}

function timeOf(iso: string): number {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
}
