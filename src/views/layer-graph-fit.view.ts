import { geometryOf, type Geometry, type GridOptions } from './layer-graph-geometry.view.js';
import { mount } from './layer-graph-mount.view.js';
import { setTransform, Transform } from './pan-zoom.view.js';
import type { LayerGraph } from './layer-graph.view-model.js';

/**
 * Puts the whole graph in view again — for an island whose graph grew past the first
 * fit while the learner had not zoomed or panned. Same geometry options as
 * `renderLayerGraph`; `width` and `height` are the drawing's size.
 */
export function fitLayerGraph(svg: SVGSVGElement, graph: LayerGraph, opts: GridOptions & { width: number; height: number }): void {
  const m = mount(svg);
  m.fitted = true;
  fitTo(svg, graph, geometryOf(opts), opts.width, opts.height);
}

/**
 * Puts the whole graph in view (on the first non-empty render; the learner's zoom is
 * kept after). The size comes from the options or the svg's own width/height
 * attributes; only when neither says does it wait a frame to measure, because
 * measuring now would force a layout of everything just drawn.
 */
export function fit(svg: SVGSVGElement, graph: LayerGraph, g: Geometry, size: { width?: number | undefined; height?: number | undefined }): void {
  const width = size.width ?? absoluteLength(svg, 'width');
  const height = size.height ?? absoluteLength(svg, 'height');
  if (width === null || height === null) {
    const later = () => fitTo(svg, graph, g, svg.clientWidth || 800, svg.clientHeight || 600);
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(later);
    else later();
    return;
  }
  fitTo(svg, graph, g, width, height);
}

function fitTo(svg: SVGSVGElement, graph: LayerGraph, g: Geometry, width: number, height: number) {
  const pad = 24;
  const left = g.x(0) - pad;
  const right = g.x(Math.max(graph.cols - 1, 0)) + g.w + pad;
  const top = g.y(Math.max(graph.rows - 1, 0)) - pad;
  const bottom = g.y(0) + g.h + pad;
  const k = Math.min(1, width / (right - left), height / (bottom - top));
  setTransform(svg, new Transform(k, -left * k + Math.max(0, (width - (right - left) * k) / 2), height - bottom * k));
}

function absoluteLength(svg: SVGSVGElement, name: 'width' | 'height'): number | null {
  const length = svg[name]?.baseVal;
  if (!length || !svg.hasAttribute(name)) return null;
  return length.unitType === SVGLength.SVG_LENGTHTYPE_NUMBER || length.unitType === SVGLength.SVG_LENGTHTYPE_PX ? length.value : null;
}
