import { select } from 'd3-selection';
import type { HistogramBin, StepHistogram } from './step-histogram.view-model.js';

/** The drawing's width in its own units: the bars share it, so a short workshop gets wide bars and a long one thin ones. */
const WIDTH = 960;
const WIDEST = 48;
const HEIGHT = 160;
const AXIS = 18;

/**
 * Draws the histogram into `svg`: one bar per bin, joined by its key so an update moves heights
 * and nothing else; the stuck part of a bar drawn over it. `describe` words a bin for its tooltip;
 * a lesson's number sits under its first step. A function of its input (STYLE.md: d3 views are pure).
 */
export function renderStepHistogram(svg: SVGSVGElement, histogram: StepHistogram, describe: (bin: HistogramBin) => string): void {
  const slot = Math.min(WIDEST, WIDTH / Math.max(1, histogram.bins.length));
  const bar = Math.max(1, slot * 0.8);
  const y = (count: number) => (count / histogram.max) * (HEIGHT - 4);
  select(svg)
    .attr('viewBox', `0 0 ${WIDTH} ${HEIGHT + AXIS}`)
    .selectAll<SVGGElement, HistogramBin>('g.histogram__bar')
    .data(histogram.bins, (d) => d.key)
    .join((enter) => {
      const g = enter.append('g').attr('class', 'histogram__bar');
      g.append('title');
      g.append('rect').attr('class', 'histogram__count');
      g.append('rect').attr('class', 'histogram__stuck');
      g.append('text')
        .attr('class', 'histogram__lesson')
        .attr('y', HEIGHT + AXIS - 3);
      return g;
    })
    .attr('transform', (_, i) => `translate(${i * slot},0)`)
    .attr('data-key', (d) => d.key)
    .attr('data-count', (d) => d.count)
    .call((g) => g.select('title').text(describe))
    .call((g) =>
      g
        .select('rect.histogram__count')
        .attr('width', bar)
        .attr('y', (d) => HEIGHT - y(d.count))
        .attr('height', (d) => y(d.count)),
    )
    .call((g) =>
      g
        .select('rect.histogram__stuck')
        .attr('width', bar)
        .attr('y', (d) => HEIGHT - y(d.stuck))
        .attr('height', (d) => y(d.stuck)),
    )
    .call((g) => g.select('text.histogram__lesson').text((d) => (d.lesson === null ? '·' : d.step === 0 ? d.lesson.slice(0, 2) : '')));
}
