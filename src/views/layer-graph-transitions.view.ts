import { select, type BaseType, type Selection as D3Selection } from 'd3-selection';
import 'd3-transition';

/**
 * How a join's nodes come, go and move: faded in and out and slid over `duration` ms,
 * or at once when it is 0 (the learner prefers reduced motion, or a benchmark).
 */
export interface Transitions {
  enterFade<E extends BaseType, D>(s: D3Selection<E, D, SVGGElement, unknown>): D3Selection<E, D, SVGGElement, unknown>;
  exitFade<E extends BaseType, D>(s: D3Selection<E, D, SVGGElement, unknown>): void;
  /** Sets `name` (a transform, a path) to `value(d)` where it differs, sliding to it. */
  moveAttr<E extends SVGElement, D>(s: D3Selection<E, D, SVGGElement, unknown>, name: string, value: (d: D) => string): void;
}

export function transitions(duration: number): Transitions {
  return {
    enterFade(s) {
      if (duration > 0) s.style('opacity', 0).transition().duration(duration).style('opacity', 1);
      return s;
    },
    // A leaving node is marked so the next join (within its fade) does not pick it up again.
    exitFade(s) {
      s.classed('is-exiting', true);
      if (duration > 0) s.transition().duration(duration).style('opacity', 0).remove();
      else s.remove();
    },
    moveAttr(s, name, value) {
      s.each(function (d) {
        const next = value(d);
        if (this.getAttribute(name) === next) return;
        if (duration > 0) select(this).transition('move').duration(duration).attr(name, next);
        else this.setAttribute(name, next);
      });
    },
  };
}

/** Sets an attribute only where it changed: an update touches nothing that stayed. */
export function attrIfChanged<D>(s: D3Selection<SVGGElement, D, SVGGElement, unknown>, name: string, value: (d: D) => string): void {
  s.each(function (d) {
    const next = value(d);
    if (this.getAttribute(name) !== next) this.setAttribute(name, next);
  });
}

/** Sets a child's text only where it changed. */
export function textIfChanged<D>(s: D3Selection<SVGGElement, D, SVGGElement, unknown>, selector: string, value: (d: D) => string): void {
  s.each(function (d) {
    const el = this.querySelector(selector);
    const next = value(d);
    if (el && el.textContent !== next) el.textContent = next;
  });
}
