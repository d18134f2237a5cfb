// The browser half of bench/render.bench.ts: bundled by Vite together with the view
// modules it imports and run in Chromium, so the timing loop runs next to the DOM.
import type { StateSnapshot } from '../src/engine/state.js';
import { toLayerGraph } from '../src/views/layer-graph.view-model.js';
import { renderLayerGraph, type LayerGraphLabels } from '../src/views/layer-graph.view.js';

export interface RenderBenchInput {
  a: StateSnapshot;
  b: StateSnapshot;
  labels: LayerGraphLabels;
  initialRuns: number;
  changeRuns: number;
  warmup: number;
}

export interface RenderBenchResult {
  initial: number[];
  change: number[];
  drawn: { layers: number; containers: number };
}

const WIDTH = 1280;
const HEIGHT = 800;

function freshSvg(): SVGSVGElement {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('width', String(WIDTH));
  svg.setAttribute('height', String(HEIGHT));
  document.body.replaceChildren(svg);
  return svg;
}

/** Reading sizes makes the browser finish style and layout now, inside the timing. */
function settle(svg: SVGSVGElement): number {
  return svg.getBoundingClientRect().height + (svg.lastElementChild as SVGGraphicsElement).getBBox().width;
}

export function runRenderBench(input: RenderBenchInput): RenderBenchResult {
  const { a, b, warmup } = input;
  const opts = { labels: input.labels, duration: 0, width: WIDTH, height: HEIGHT };

  const initial: number[] = [];
  for (let i = 0; i < warmup + input.initialRuns; i++) {
    const svg = freshSvg();
    const t0 = performance.now();
    renderLayerGraph(svg, toLayerGraph(a), opts);
    settle(svg);
    if (i >= warmup) initial.push(performance.now() - t0);
  }

  const svg = freshSvg();
  renderLayerGraph(svg, toLayerGraph(a), opts);
  settle(svg);
  const change: number[] = [];
  let [prev, next] = [a, b];
  for (let i = 0; i < warmup + input.changeRuns; i++) {
    const t0 = performance.now();
    renderLayerGraph(svg, toLayerGraph(next, prev), opts);
    settle(svg);
    if (i >= warmup) change.push(performance.now() - t0);
    [prev, next] = [next, prev];
  }
  return {
    initial,
    change,
    drawn: { layers: svg.querySelectorAll('g.layer-graph__layer').length, containers: svg.querySelectorAll('g.layer-graph__container').length },
  };
}
