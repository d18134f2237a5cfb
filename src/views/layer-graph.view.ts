import { select, type BaseType, type Selection as D3Selection } from 'd3-selection';
import 'd3-transition';
import { zoom, zoomIdentity, type ZoomBehavior } from 'd3-zoom';
import type { ContainerStatus } from '../engine/state.js';
import type { Selection } from '../model/sandbox.machine.js';
import { fill } from '../i18n/fill.js';
import { ellipsis } from './docker-format.js';
import type { GraphContainer, GraphEdge, GraphImage, GraphLayer, GraphMarker, LayerGraph } from './layer-graph.view-model.js';

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
  /** What a dangling image is called (`<none>:<none>`). */
  untagged: string;
  /** A running build's image, in place of its tags: `{step}` `{total}` */
  building: string;
  status: Record<ContainerStatus, string>;
}

export interface LayerGraphOptions {
  labels: LayerGraphLabels;
  onSelect?: (selection: Selection) => void;
  selected?: Selection | null;
  /** A diffID whose layers are lit (\`is-linked\`): the one the learner points at in the editor. */
  linked?: string | null;
  /** Transition length in ms; pass 0 when the learner prefers reduced motion. */
  duration?: number;
  colWidth?: number;
  rowHeight?: number;
  nodeWidth?: number;
  nodeHeight?: number;
  /** The drawing's size for the first fit, when the svg's attributes do not give it. */
  width?: number;
  height?: number;
}

interface Mounted {
  viewport: D3Selection<SVGGElement, unknown, null, undefined>;
  zoom: ZoomBehavior<SVGSVGElement, unknown>;
  fitted: boolean;
}

const mounted = new WeakMap<SVGSVGElement, Mounted>();
/** Default grid: pixels per column and row, and a node's box. */
const GRID = { colWidth: 180, rowHeight: 76, nodeWidth: 156, nodeHeight: 48 } as const;
const LAYERS = ['edges', 'markers', 'layers', 'containers', 'images'] as const;

export function renderLayerGraph(svg: SVGSVGElement, graph: LayerGraph, opts: LayerGraphOptions): void {
  const colWidth = opts.colWidth ?? GRID.colWidth;
  const rowHeight = opts.rowHeight ?? GRID.rowHeight;
  const w = opts.nodeWidth ?? GRID.nodeWidth;
  const h = opts.nodeHeight ?? GRID.nodeHeight;
  const duration = opts.duration ?? 300;
  // Base at the bottom: row 0 at y = 0, higher rows above it; the zoom transform
  // places the picture, so growing the graph never shifts what is drawn.
  const x = (col: number) => col * colWidth;
  const y = (row: number) => -row * rowHeight;
  const at = (d: { col: number; row: number }) => `translate(${x(d.col)},${y(d.row)})`;

  const m = mount(svg);
  const group = (name: (typeof LAYERS)[number]) => m.viewport.select<SVGGElement>(`g.layer-graph__${name}`);
  const selected = opts.selected ?? null;
  const isSelected = (kind: Selection['kind'], key: string) =>
    selected !== null && selected.kind === kind && (selected.kind === 'layer' ? selected.chainId : selected.id) === key;

  const enterFade = <E extends BaseType, D>(s: D3Selection<E, D, SVGGElement, unknown>) => {
    if (duration > 0) s.style('opacity', 0).transition().duration(duration).style('opacity', 1);
    return s;
  };
  // A leaving node is marked so the next join (within its fade) does not pick it up again.
  const exitFade = <E extends BaseType, D>(s: D3Selection<E, D, SVGGElement, unknown>) => {
    s.classed('is-exiting', true);
    if (duration > 0) s.transition().duration(duration).style('opacity', 0).remove();
    else s.remove();
  };
  const moveTo = <E extends SVGElement, D>(s: D3Selection<E, D, SVGGElement, unknown>, transform: (d: D) => string) => {
    s.each(function (d) {
      const next = transform(d);
      if (this.getAttribute('transform') === next) return;
      if (duration > 0) select(this).transition('move').duration(duration).attr('transform', next);
      else this.setAttribute('transform', next);
    });
  };

  const edgePath = (e: GraphEdge) => {
    const x1 = x(e.fromCol) + w / 2;
    const y1 = y(e.fromRow);
    const x2 = x(e.toCol) + w / 2;
    const y2 = y(e.toRow) + h;
    const mid = (y1 + y2) / 2;
    return `M${x1},${y1}C${x1},${mid} ${x2},${mid} ${x2},${y2}`;
  };
  group('edges')
    .selectAll<SVGPathElement, GraphEdge>('path:not(.is-exiting)')
    .data(graph.edges, (d) => d.key)
    .join(
      (enter) =>
        enterFade(
          enter
            .append('path')
            .attr('class', (d) => `layer-graph__edge layer-graph__edge--${d.kind}`)
            .attr('d', edgePath),
        ),
      (update) =>
        update.each(function (d) {
          const next = edgePath(d);
          if (this.getAttribute('d') === next) return;
          if (duration > 0) select(this).transition('move').duration(duration).attr('d', next);
          else this.setAttribute('d', next);
        }),
      (exit) => exitFade(exit),
    );

  // Markers keep to the right of a gap, image tags to the left: both live between rows.
  const markerAt = (d: GraphMarker) => `translate(${x(d.col) + w - 10},${y(d.row) + h / 2})`;
  // Monospace labels: about 0.6em per character at the stylesheet's 12px.
  const fits = (px: number) => Math.max(4, Math.floor(px / 7.2));
  group('markers')
    .selectAll<SVGGElement, GraphMarker>('g:not(.is-exiting)')
    .data(graph.markers, (d) => d.key)
    .join(
      (enter) => {
        const g = enter.append('g').attr('class', 'layer-graph__marker').attr('transform', markerAt);
        g.append('circle').attr('r', 4);
        g.append('title').text((d) => fill(opts.labels.marker, { createdBy: d.createdBy }));
        return enterFade(g);
      },
      (update) => {
        moveTo(update, markerAt);
        return update;
      },
      (exit) => exitFade(exit),
    );

  const layerLabel = (d: GraphLayer) =>
    fill(opts.labels.layer, { id: d.shortId, createdBy: d.createdBy, size: d.sizeLabel, tags: d.tags.join(', '), images: d.usedBy });
  const layerClass = (d: GraphLayer) =>
    [
      'layer-graph__node',
      'layer-graph__layer',
      d.usedBy > 1 ? 'is-shared' : '',
      d.building ? 'is-building' : d.usedBy === 0 ? 'is-loose' : '',
      d.isNew ? 'is-new' : '',
      isSelected('layer', d.key) ? 'is-selected' : '',
      opts.linked != null && d.diffId === opts.linked ? 'is-linked' : '',
    ]
      .filter(Boolean)
      .join(' ');
  group('layers')
    .selectAll<SVGGElement, GraphLayer>('g.layer-graph__layer:not(.is-exiting)')
    .data(graph.layers, (d) => d.key)
    .join(
      (enter) => {
        const g = enter.append('g').attr('transform', at);
        focusable(g, (d) => ({ kind: 'layer', chainId: d.key }), opts.onSelect);
        g.append('rect').attr('class', 'layer-graph__box').attr('width', w).attr('height', h).attr('rx', 4);
        g.append('text').attr('class', 'layer-graph__id').attr('x', 8).attr('y', 16);
        g.append('text')
          .attr('class', 'layer-graph__size')
          .attr('x', w - 8)
          .attr('y', 16)
          .attr('text-anchor', 'end');
        g.append('text').attr('class', 'layer-graph__cmd').attr('x', 8).attr('y', 36);
        g.append('title');
        return enterFade(g);
      },
      (update) => {
        moveTo(update, at);
        return update;
      },
      (exit) => exitFade(exit),
    )
    .call((all) => {
      attrIfChanged(all, 'class', layerClass);
      textIfChanged(all, 'text.layer-graph__id', (d) => d.shortId);
      textIfChanged(all, 'text.layer-graph__size', (d) => d.sizeLabel);
      textIfChanged(all, 'text.layer-graph__cmd', (d) => ellipsis(d.createdBy, fits(w - 16)));
      textIfChanged(all, 'title', layerLabel);
    });

  const containerLabel = (d: GraphContainer) =>
    fill(opts.labels.container, { name: d.name, id: d.shortId, status: opts.labels.status[d.status], changes: d.changeCount });
  const containerClass = (d: GraphContainer) =>
    [
      'layer-graph__node',
      'layer-graph__container',
      d.statusClass,
      d.isNew ? 'is-new' : '',
      d.statusChanged ? 'is-changed' : '',
      isSelected('container', d.key) ? 'is-selected' : '',
    ]
      .filter(Boolean)
      .join(' ');
  group('containers')
    .selectAll<SVGGElement, GraphContainer>('g.layer-graph__container:not(.is-exiting)')
    .data(graph.containers, (d) => d.key)
    .join(
      (enter) => {
        const g = enter.append('g').attr('transform', at);
        focusable(g, (d) => ({ kind: 'container', id: d.id }), opts.onSelect);
        g.append('rect').attr('class', 'layer-graph__box').attr('width', w).attr('height', h).attr('rx', 4);
        g.append('circle').attr('class', 'layer-graph__status').attr('cx', 12).attr('cy', 12).attr('r', 5);
        g.append('text').attr('class', 'layer-graph__name').attr('x', 24).attr('y', 16);
        g.append('text').attr('class', 'layer-graph__changes').attr('x', 8).attr('y', 36);
        g.append('title');
        return enterFade(g);
      },
      (update) => {
        moveTo(update, at);
        return update;
      },
      (exit) => exitFade(exit),
    )
    .call((all) => {
      attrIfChanged(all, 'class', containerClass);
      textIfChanged(all, 'title', containerLabel);
      textIfChanged(all, 'text.layer-graph__name', (d) => d.name);
      textIfChanged(all, 'text.layer-graph__changes', (d) => `${opts.labels.status[d.status]} · ±${d.changeCount}`);
    });

  const imageText = (d: GraphImage) =>
    d.building
      ? fill(opts.labels.building, { step: d.building.step, total: d.building.total })
      : d.tags.length
        ? d.tags.join(', ')
        : opts.labels.untagged;
  const imageAt = (d: GraphImage) => `translate(${x(d.col)},${y(d.row) - 6 - d.stack * 14})`;
  group('images')
    .selectAll<SVGGElement, GraphImage>('g.layer-graph__image:not(.is-exiting)')
    .data(graph.images, (d) => d.key)
    .join(
      (enter) => {
        const g = enter.append('g').attr('class', 'layer-graph__image').attr('transform', imageAt);
        // A running build's image cannot be selected: it is no image yet (the build's layers can).
        focusable(
          g.filter((d) => d.building === null),
          (d) => ({ kind: 'image', id: d.id }),
          opts.onSelect,
        );
        g.append('text');
        g.append('title');
        return enterFade(g);
      },
      (update) => {
        moveTo(update, imageAt);
        return update;
      },
      (exit) => exitFade(exit),
    )
    .call((all) => {
      attrIfChanged(
        all,
        'class',
        (d) => `layer-graph__image${d.building ? ' is-building' : ''}${d.isNew ? ' is-new' : ''}${isSelected('image', d.key) ? ' is-selected' : ''}`,
      );
      textIfChanged(all, 'text', (d) => ellipsis(imageText(d), fits(w - 24)));
      textIfChanged(all, 'title', (d) => fill(opts.labels.image, { tags: imageText(d), id: d.shortId, size: d.sizeLabel }));
    });

  if (!m.fitted && (graph.layers.length || graph.containers.length)) {
    m.fitted = true;
    fit(svg, m, graph, { x, y, w, h }, { width: opts.width, height: opts.height });
  }
}

/**
 * Puts the whole graph in view again — for an island whose graph grew past the first
 * fit while the learner had not zoomed or panned. Same geometry options as
 * `renderLayerGraph`; `width` and `height` are the drawing's size.
 */
export function fitLayerGraph(
  svg: SVGSVGElement,
  graph: LayerGraph,
  opts: Pick<LayerGraphOptions, 'colWidth' | 'rowHeight' | 'nodeWidth' | 'nodeHeight'> & { width: number; height: number },
): void {
  const colWidth = opts.colWidth ?? GRID.colWidth;
  const rowHeight = opts.rowHeight ?? GRID.rowHeight;
  const m = mount(svg);
  m.fitted = true;
  const g = {
    x: (col: number) => col * colWidth,
    y: (row: number) => -row * rowHeight,
    w: opts.nodeWidth ?? GRID.nodeWidth,
    h: opts.nodeHeight ?? GRID.nodeHeight,
  };
  fitTo(svg, m, graph, g, opts.width, opts.height);
}

/**
 * Puts the whole graph in view (on the first non-empty render; the learner's zoom is
 * kept after). The size comes from the options or the svg's own width/height
 * attributes; only when neither says does it wait a frame to measure, because
 * measuring now would force a layout of everything just drawn.
 */
function fit(svg: SVGSVGElement, m: Mounted, graph: LayerGraph, g: Geometry, size: { width?: number | undefined; height?: number | undefined }) {
  const width = size.width ?? absoluteLength(svg, 'width');
  const height = size.height ?? absoluteLength(svg, 'height');
  if (width === null || height === null) {
    const later = () => fitTo(svg, m, graph, g, svg.clientWidth || 800, svg.clientHeight || 600);
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(later);
    else later();
    return;
  }
  fitTo(svg, m, graph, g, width, height);
}

interface Geometry {
  x: (c: number) => number;
  y: (r: number) => number;
  w: number;
  h: number;
}

function fitTo(svg: SVGSVGElement, m: Mounted, graph: LayerGraph, g: Geometry, width: number, height: number) {
  const pad = 24;
  const left = g.x(0) - pad;
  const right = g.x(Math.max(graph.cols - 1, 0)) + g.w + pad;
  const top = g.y(Math.max(graph.rows - 1, 0)) - pad;
  const bottom = g.y(0) + g.h + pad;
  const k = Math.min(1, width / (right - left), height / (bottom - top));
  const t = zoomIdentity.translate(-left * k + Math.max(0, (width - (right - left) * k) / 2), height - bottom * k).scale(k);
  select(svg).call(m.zoom.transform, t);
}

function absoluteLength(svg: SVGSVGElement, name: 'width' | 'height'): number | null {
  const length = svg[name]?.baseVal;
  if (!length || !svg.hasAttribute(name)) return null;
  return length.unitType === SVGLength.SVG_LENGTHTYPE_NUMBER || length.unitType === SVGLength.SVG_LENGTHTYPE_PX ? length.value : null;
}

function mount(svg: SVGSVGElement): Mounted {
  const existing = mounted.get(svg);
  if (existing) return existing;
  const root = select(svg).classed('layer-graph', true).attr('role', 'group');
  const viewport = root.append('g').attr('class', 'layer-graph__viewport');
  for (const name of LAYERS) viewport.append('g').attr('class', `layer-graph__${name}`);
  const behaviour = zoom<SVGSVGElement, unknown>()
    .scaleExtent([0.1, 4])
    .on('zoom', (event: { transform: { toString(): string } }) => viewport.attr('transform', event.transform.toString()));
  root.call(behaviour);
  const m: Mounted = { viewport, zoom: behaviour, fitted: false };
  mounted.set(svg, m);
  return m;
}

/**
 * Keyboard and pointer users select the same way: click, Enter or Space. A node's name
 * is its `<title>` (SVG-AAM), which also shows on hover: the full words, where the box
 * may cut its text with … — an aria-label would have to repeat the cut text verbatim
 * (WCAG 2.5.3, label in name).
 */
function focusable<D>(g: D3Selection<SVGGElement, D, SVGGElement, unknown>, selection: (d: D) => Selection, onSelect?: (s: Selection) => void) {
  g.attr('tabindex', 0)
    .attr('role', 'button')
    .on('click', (_event: MouseEvent, d) => onSelect?.(selection(d)))
    .on('keydown', (event: KeyboardEvent, d) => {
      if (event.key !== 'Enter' && event.key !== ' ') return;
      event.preventDefault();
      onSelect?.(selection(d));
    });
}

function attrIfChanged<D>(s: D3Selection<SVGGElement, D, SVGGElement, unknown>, name: string, value: (d: D) => string) {
  s.each(function (d) {
    const next = value(d);
    if (this.getAttribute(name) !== next) this.setAttribute(name, next);
  });
}

function textIfChanged<D>(s: D3Selection<SVGGElement, D, SVGGElement, unknown>, selector: string, value: (d: D) => string) {
  s.each(function (d) {
    const el = this.querySelector(selector);
    const next = value(d);
    if (el && el.textContent !== next) el.textContent = next;
  });
}
