import { select } from 'd3-selection';
import 'd3-transition';
import { fill } from '../i18n/fill.js';
import type { BlockRole, StackBlock, VmVsContainer } from './vm-vs-container.view-model.js';

export interface VmVsContainerLabels {
  /** Per role; `{n}` is the guest's or container's number. */
  roles: Record<BlockRole, string>;
  vmTitle: string;
  containerTitle: string;
  /** `{n}`: kernels running on that side. */
  kernels: string;
}

export interface VmVsContainerOptions {
  labels: VmVsContainerLabels;
  /** Pixels per grid unit. */
  unit?: number;
  /** Transition length in ms; 0 when the learner prefers reduced motion. */
  duration?: number;
}

/**
 * Draws the two stacks into an `<svg>`, blocks keyed so that stepping forward adds only
 * the new layer of the picture (it rises into place) and stepping back removes it.
 */
export function renderVmVsContainer(svg: SVGSVGElement, model: VmVsContainer, opts: VmVsContainerOptions): void {
  const u = opts.unit ?? 72;
  const duration = opts.duration ?? 300;
  const titleH = 40;
  const width = model.width * u;
  const height = model.height * u + titleH;
  const root = select(svg).classed('vm-stack', true).attr('viewBox', `0 0 ${width} ${height}`).attr('role', 'img');
  const bottom = (b: StackBlock) => height - (b.y + b.height) * u;
  const blockLabel = (b: StackBlock) => fill(opts.labels.roles[b.role], { n: b.n ?? '' });

  const blocks = root
    .selectAll<SVGGElement, StackBlock>('g.vm-stack__block:not(.is-exiting)')
    .data(model.blocks, (b) => b.key)
    .join(
      (enter) => {
        const g = enter
          .append('g')
          .attr('class', (b) => `vm-stack__block vm-stack__block--${b.role} vm-stack__block--${b.side}`)
          .attr('transform', (b) => `translate(${b.x * u},${bottom(b)})`);
        g.append('rect').attr('x', 2).attr('y', 2);
        g.append('text').attr('text-anchor', 'middle').attr('dominant-baseline', 'middle');
        if (duration > 0) {
          g.style('opacity', 0)
            .attr('transform', (b) => `translate(${b.x * u},${bottom(b) - u / 2})`)
            .transition()
            .duration(duration)
            .style('opacity', 1)
            .attr('transform', (b) => `translate(${b.x * u},${bottom(b)})`);
        }
        return g;
      },
      (update) => update,
      (exit) => {
        exit.classed('is-exiting', true);
        if (duration > 0) exit.transition().duration(duration).style('opacity', 0).remove();
        else exit.remove();
      },
    );
  blocks
    .select('rect')
    .attr('width', (b) => b.width * u - 4)
    .attr('height', (b) => b.height * u - 4)
    .attr('rx', 4);
  blocks
    .select('text')
    .attr('x', (b) => (b.width * u) / 2)
    .attr('y', (b) => (b.height * u) / 2)
    .text(blockLabel);

  const titles = [
    { key: 'vm', text: `${opts.labels.vmTitle} — ${fill(opts.labels.kernels, { n: model.kernels.vm })}`, x: 0 },
    {
      key: 'container',
      text: `${opts.labels.containerTitle} — ${fill(opts.labels.kernels, { n: model.kernels.container })}`,
      x: (model.width + 1) / 2,
    },
  ];
  root
    .selectAll<SVGTextElement, (typeof titles)[number]>('text.vm-stack__title')
    .data(titles, (t) => t.key)
    .join('text')
    .attr('class', 'vm-stack__title')
    .attr('x', (t) => t.x * u + 4)
    .attr('y', 24)
    .text((t) => t.text);
  root.attr('aria-label', `${titles[0]!.text}; ${titles[1]!.text}; ${model.blocks.map(blockLabel).join(', ')}`);
}
