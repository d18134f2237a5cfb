import type { BaseType, Selection as D3Selection } from 'd3-selection';

/**
 * How a join's nodes come, go and move: faded in and out and slid over `duration` ms,
 * or at once when it is 0 (the learner prefers reduced motion, or a benchmark).
 *
 * The browser's own animations (Element.animate), not d3-transition: the attribute is set to its
 * new value at once (what a test or the next join reads is where the node is going) and the
 * animation only shows the way there, run by the compositor where it can be. d3-transition and the
 * colour and interpolation modules it brings were a third of the embed's widget code (issue 15).
 */
export interface Transitions {
  enterFade<E extends BaseType, D>(s: D3Selection<E, D, SVGGElement, unknown>): D3Selection<E, D, SVGGElement, unknown>;
  exitFade<E extends BaseType, D>(s: D3Selection<E, D, SVGGElement, unknown>): void;
  /** Sets `name` (a transform, a path) to `value(d)` where it differs, sliding to it. */
  moveAttr<E extends SVGElement, D>(s: D3Selection<E, D, SVGGElement, unknown>, name: 'transform' | 'd', value: (d: D) => string): void;
}

/** d3's default easing (easeCubicInOut), which the graph moved with before. */
const EASING = 'cubic-bezier(0.645, 0.045, 0.355, 1)';

export function transitions(duration: number): Transitions {
  return {
    enterFade(s) {
      if (duration > 0)
        s.each(function () {
          (this as Element).animate([{ opacity: 0 }, { opacity: 1 }], { duration });
        });
      return s;
    },
    // A leaving node is marked so the next join (within its fade) does not pick it up again.
    exitFade(s) {
      s.classed('is-exiting', true);
      if (duration <= 0) return void s.remove();
      s.each(function () {
        const el = this as Element;
        // One keyframe: from wherever its opacity is now (a node still fading in).
        const fade = el.animate([{ opacity: 0 }], { duration, fill: 'forwards' });
        void fade.finished.then(
          () => el.remove(),
          () => el.remove(),
        );
      });
    },
    moveAttr(s, name, value) {
      s.each(function (d) {
        const next = value(d);
        const prev = this.getAttribute(name);
        if (prev === next) return;
        this.setAttribute(name, next);
        if (duration > 0 && prev !== null) slide(this, name, prev, next, duration);
      });
    },
  };
}

/**
 * Shows `el` moving from `prev` to `next` (its attribute already `next`): the CSS property of the same
 * name, animated, overrides the attribute while it runs. From where it is shown now when it is still
 * moving. A browser that cannot animate the property (`d` outside Chromium) shows the node at `next` at once.
 */
function slide(el: SVGElement, name: 'transform' | 'd', prev: string, next: string, duration: number): void {
  const css = name === 'transform' ? cssTransform : (path: string) => `path("${path}")`;
  const moving = el.getAnimations().some((a) => a.playState === 'running' && a.id === name);
  const from = moving ? getComputedStyle(el).getPropertyValue(name) : css(prev);
  for (const a of el.getAnimations()) if (a.id === name) a.cancel();
  const move = el.animate([{ [name]: from }, { [name]: css(next) }], { duration, easing: EASING });
  move.id = name;
}

/** The graph's SVG `translate(x,y)` as CSS, which wants units. */
function cssTransform(svg: string): string {
  return svg.replace(/translate\(\s*(-?[\d.e]+)[\s,]+(-?[\d.e]+)\s*\)/g, 'translate($1px, $2px)');
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
