import { select, type Selection as D3Selection } from 'd3-selection';
import { panZoom } from './pan-zoom.view.js';

/** The drawing's groups, bottom to top: what is drawn later covers what is drawn before. */
export const GROUPS = ['edges', 'markers', 'layers', 'containers', 'volumes', 'images'] as const;
export type GroupName = (typeof GROUPS)[number];

/** What one `<svg>` keeps between renders: the zoomed viewport and whether it was fitted yet. */
export interface Mounted {
  viewport: D3Selection<SVGGElement, unknown, null, undefined>;
  fitted: boolean;
}

const mounted = new WeakMap<SVGSVGElement, Mounted>();

/** The svg's viewport with a group per kind of node, and zoom and pan; made on the first render. */
export function mount(svg: SVGSVGElement): Mounted {
  const existing = mounted.get(svg);
  if (existing) return existing;
  const root = select(svg).classed('layer-graph', true).attr('role', 'group');
  const viewport = root.append('g').attr('class', 'layer-graph__viewport');
  for (const name of GROUPS) viewport.append('g').attr('class', `layer-graph__${name}`);
  panZoom(svg, (t) => viewport.attr('transform', t.toString()));
  const m: Mounted = { viewport, fitted: false };
  mounted.set(svg, m);
  return m;
}

export function groupOf(m: Mounted, name: GroupName): D3Selection<SVGGElement, unknown, null, undefined> {
  return m.viewport.select<SVGGElement>(`g.layer-graph__${name}`);
}
