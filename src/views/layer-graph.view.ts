import type { ContainerStatus } from '../engine/state.js';
import type { Selection } from '../model/sandbox.machine.js';
import { drawContainers } from './layer-graph-containers.view.js';
import { drawEdges } from './layer-graph-edges.view.js';
import { fit } from './layer-graph-fit.view.js';
import { geometryOf, type Geometry, type GridOptions } from './layer-graph-geometry.view.js';
import { drawImages } from './layer-graph-images.view.js';
import { drawLayers } from './layer-graph-layers.view.js';
import { drawMarkers } from './layer-graph-markers.view.js';
import { drawVolumes } from './layer-graph-volumes.view.js';
import { groupOf, mount } from './layer-graph-mount.view.js';
import { isSelectedIn } from './layer-graph-selection.view.js';
import { transitions, type Transitions } from './layer-graph-transitions.view.js';
import type { LayerGraph } from './layer-graph.view-model.js';

export { fitLayerGraph } from './layer-graph-fit.view.js';

/**
 * Draws a `LayerGraph` into an `<svg>`: keyed joins (layers by chainID, containers by
 * ID) so an update moves what moved and touches nothing else, ~300 ms enter / update /
 * exit transitions, zoom and pan. Colours come from CSS (views.css), words from
 * `labels` — the caller's locale, with `{placeholders}` as in the UI catalogs.
 */
export interface LayerGraphLabels {
  /** `{id}` `{createdBy}` `{size}` `{tags}` `{images}` */
  layer: string;
  /** `{name}` `{id}` `{status}` `{changes}` */
  container: string;
  /** `{tags}` `{id}` `{size}` */
  image: string;
  /** `{createdBy}` */
  marker: string;
  /** A volume some container mounts: `{name}` `{mounts}` (`container:/path` each) */
  volume: string;
  /** A volume no container holds: `{name}` */
  volumeUnused: string;
  /** What a dangling image is called (`<none>:<none>`). */
  untagged: string;
  /** A running build's image, in place of its tags: `{step}` `{total}` */
  building: string;
  status: Record<ContainerStatus, string>;
}

export interface LayerGraphOptions extends GridOptions {
  labels: LayerGraphLabels;
  onSelect?: (selection: Selection) => void;
  selected?: Selection | null;
  /** A diffID whose layers are lit (\`is-linked\`): the one the learner points at in the editor. */
  linked?: string | null;
  /** Transition length in ms; pass 0 when the learner prefers reduced motion. */
  duration?: number;
  /** The drawing's size for the first fit, when the svg's attributes do not give it. */
  width?: number;
  height?: number;
}

/** What each group's drawing takes: the geometry, the transitions, the words and the learner's selection. */
export interface Draw {
  g: Geometry;
  t: Transitions;
  labels: LayerGraphLabels;
  onSelect?: ((selection: Selection) => void) | undefined;
  isSelected: (kind: Selection['kind'], key: string) => boolean;
  linked: string | null | undefined;
}

/**
 * One keyed join per group, bottom to top, each in a file of its own
 * (`layer-graph-{edges,markers,layers,containers,volumes,images}.view.ts`), with the shared
 * geometry (`-geometry`), transitions (`-transitions`), selection (`-selection`), the
 * svg's groups and zoom (`-mount`) and the first fit (`-fit`).
 */
export function renderLayerGraph(svg: SVGSVGElement, graph: LayerGraph, opts: LayerGraphOptions): void {
  const m = mount(svg);
  const draw: Draw = {
    g: geometryOf(opts),
    t: transitions(opts.duration ?? 300),
    labels: opts.labels,
    onSelect: opts.onSelect,
    isSelected: isSelectedIn(opts.selected ?? null),
    linked: opts.linked,
  };
  drawEdges(groupOf(m, 'edges'), graph.edges, draw);
  drawMarkers(groupOf(m, 'markers'), graph.markers, draw);
  drawLayers(groupOf(m, 'layers'), graph.layers, draw);
  drawContainers(groupOf(m, 'containers'), graph.containers, draw);
  drawVolumes(groupOf(m, 'volumes'), graph.volumes, draw);
  drawImages(groupOf(m, 'images'), graph.images, draw);

  if (!m.fitted && (graph.layers.length || graph.containers.length)) {
    m.fitted = true;
    fit(svg, graph, draw.g, { width: opts.width, height: opts.height });
  }
}
