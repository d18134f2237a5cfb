import type { ContainerStatus, LayerState, StateSnapshot } from '../engine/state.js';
import { ContainerNodes } from './layer-graph-containers.view-model.js';
import { edgesOf } from './layer-graph-edges.view-model.js';
import { Grid } from './layer-graph-grid.view-model.js';
import { buildKey, ImageNodes } from './layer-graph-images.view-model.js';
import { LayerNodes } from './layer-graph-layers.view-model.js';
import { markersOf, type MarkedStack } from './layer-graph-markers.view-model.js';
import { creationOrder } from './layer-graph-order.view-model.js';
import { volumesOf } from './layer-graph-volumes.view-model.js';

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
  /** The session's volumes, each linked to the containers that mount it (edges of kind `volume`). */
  volumes: GraphVolume[];
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

/** A volume (`docker volume ls`): outside every layer, drawn above the containers that mount it. */
export interface GraphVolume {
  /** `volume:<name>`. */
  key: string;
  name: string;
  /** The name, or an anonymous volume's 64 hex cut to 12 as IDs are. */
  label: string;
  anonymous: boolean;
  /** Each container that holds it, in any state, and where it mounts it. */
  mounts: { container: string; destination: string; readOnly: boolean }[];
  isNew: boolean;
  col: number;
  row: number;
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
  /** `volume`: from a container to a volume it mounts. */
  kind: 'layer' | 'container' | 'volume';
  from: string;
  to: string;
  fromCol: number;
  fromRow: number;
  toCol: number;
  toRow: number;
}

/**
 * Lays the snapshot out as a tree by chainID, in phases, each in a file of its own:
 * images, containers and running builds placed in creation order
 * (`layer-graph-order`) — an image with its layers (`layer-graph-images`,
 * `layer-graph-layers`), a container one row above its image's top layer
 * (`layer-graph-containers`), each taking the free slot of `layer-graph-grid` above its
 * parent, so adding a newer one never moves anything already drawn — then the loose
 * layers, the edges (`layer-graph-edges`) and the empty-layer markers
 * (`layer-graph-markers`). Layers shared by several images are one node. Linear in the
 * number of nodes.
 */
export function toLayerGraph(state: StateSnapshot, prev?: StateSnapshot | null): LayerGraph {
  const layersById = new Map<string, LayerState>();
  for (const l of state.layers) layersById.set(l.chainId, l);
  const grid = new Grid();
  const layers = new LayerNodes(layersById, prev, grid);
  const images = new ImageNodes(layersById, layers, grid, prev);
  const containers = new ContainerNodes(grid, prev);

  const builds = state.builds ?? [];
  const imagesById = new Map(state.images.map((i) => [i.id, i]));
  for (const { kind, index } of creationOrder(state)) {
    if (kind === 'build') {
      images.addBuild(builds[index]!);
      continue;
    }
    if (kind === 'image') {
      const image = state.images[index]!;
      if (!images.byKey.has(image.id)) images.addImage(image);
      continue;
    }
    const c = state.containers[index]!;
    const image = imagesById.get(c.imageId);
    if (image && !images.byKey.has(image.id)) images.addImage(image);
    containers.add(c, images.byKey.get(c.imageId));
  }
  layers.addLoose(state.layers);

  // A build's cached step can reuse a layer an image already holds: that one is built, not building.
  for (const l of layers.byKey.values()) if (l.usedBy > 0) l.building = false;
  // Volumes after every other node: a slot above the containers that mount it, never pushing a layer or container aside.
  const volumes = volumesOf(state, containers.list, grid, prev);
  const stacks: MarkedStack[] = [...state.images, ...builds.map((b) => ({ id: buildKey(b.id), chainIds: b.chainIds, history: b.history }))];
  return {
    layers: [...layers.byKey.values()],
    containers: containers.list,
    images: images.list,
    markers: markersOf(stacks, layers.byKey),
    volumes: volumes.volumes,
    edges: [...edgesOf(layers.byKey, containers.list), ...volumes.edges],
    cols: grid.cols,
    rows: grid.rows,
  };
}
