/**
 * Our own pan and zoom for the layer graph's svg: wheel, drag, two-finger pinch and
 * dblclick, on pointer events. It replaces d3-zoom (and d3-drag, which only it used)
 * to keep the embed bundle small; the numbers below are d3-zoom's, so it feels the same.
 */

/** A point on screen is `k * p + (x, y)` for a point `p` of the drawing. */
export class Transform {
  constructor(
    readonly k: number,
    readonly x: number,
    readonly y: number,
  ) {}

  /** d3-zoom's form, so the viewport's `transform` attribute (and fits compared by it) reads as before. */
  toString(): string {
    return `translate(${this.x},${this.y}) scale(${this.k})`;
  }
}

export const identity = new Transform(1, 0, 0);

/** The scale the learner can reach: d3-zoom's `scaleExtent` we had. */
export const MIN_SCALE = 0.1;
export const MAX_SCALE = 4;

/** `t` scaled to `k` (clamped) about the screen point (px, py): the drawing's point under it stays there. */
export function zoomAbout(t: Transform, k: number, px: number, py: number): Transform {
  const r = Math.min(MAX_SCALE, Math.max(MIN_SCALE, k)) / t.k;
  return new Transform(t.k * r, px - (px - t.x) * r, py - (py - t.y) * r);
}

/** d3-zoom's wheel step as a power of two; ctrlKey is how a trackpad's pinch arrives, so it goes faster. */
export function wheelDelta(e: Pick<WheelEvent, 'deltaY' | 'deltaMode' | 'ctrlKey'>): number {
  return -e.deltaY * (e.deltaMode === 1 ? 0.05 : e.deltaMode ? 1 : 0.002) * (e.ctrlKey ? 10 : 1);
}

interface State {
  t: Transform;
  set: (t: Transform) => void;
}

const states = new WeakMap<SVGSVGElement, State>();

/** The svg's current transform (identity before any), as d3-zoom's `zoomTransform(svg)`. */
export function transformOf(svg: SVGSVGElement): Transform {
  return states.get(svg)?.t ?? identity;
}

/** Sets the svg's transform (a fit) and tells `onChange`, as a gesture would. */
export function setTransform(svg: SVGSVGElement, t: Transform): void {
  states.get(svg)?.set(t);
}

/** Listens for the gestures on `svg`; `onChange` gets every new transform. */
export function panZoom(svg: SVGSVGElement, onChange: (t: Transform) => void): void {
  const state: State = { t: identity, set: (t) => onChange((state.t = t)) };
  states.set(svg, state);
  // Where each pointer down on the svg is now, in the svg's own coordinates.
  const down = new Map<number, DOMPoint>();
  let moved = false;
  const at = (e: MouseEvent) => new DOMPoint(e.clientX, e.clientY).matrixTransform(svg.getScreenCTM()?.inverse());

  svg.addEventListener(
    'wheel',
    (e) => {
      const p = at(e);
      const t = zoomAbout(state.t, state.t.k * 2 ** wheelDelta(e), p.x, p.y);
      // As d3-zoom: at the scale's end the page scrolls on instead.
      if (t.k === state.t.k) return;
      e.preventDefault();
      state.set(t);
    },
    { passive: false },
  );
  svg.addEventListener('dblclick', (e) => {
    const p = at(e);
    state.set(zoomAbout(state.t, state.t.k * (e.shiftKey ? 0.5 : 2), p.x, p.y));
  });
  svg.addEventListener('pointerdown', (e) => {
    if (e.button || down.size > 1) return;
    if (!down.size) moved = false;
    down.set(e.pointerId, at(e));
  });
  svg.addEventListener('pointermove', (e) => {
    const was = down.get(e.pointerId);
    if (!was) return;
    const p = at(e);
    if (!moved) {
      // Captured only once it moves: a capture at pointerdown would send the click to the svg, not the node.
      if (Math.hypot(p.x - was.x, p.y - was.y) < 3) return;
      moved = true;
      svg.setPointerCapture(e.pointerId);
    }
    let t = state.t;
    const other = [...down].find(([id]) => id !== e.pointerId)?.[1];
    if (other) {
      // Two fingers: scale by how their distance changed, about their midpoint, then follow the midpoint.
      const mx = (was.x + other.x) / 2;
      const my = (was.y + other.y) / 2;
      t = zoomAbout(t, (t.k * Math.hypot(p.x - other.x, p.y - other.y)) / (Math.hypot(was.x - other.x, was.y - other.y) || 1), mx, my);
      t = new Transform(t.k, t.x + (p.x - was.x) / 2, t.y + (p.y - was.y) / 2);
    } else t = new Transform(t.k, t.x + p.x - was.x, t.y + p.y - was.y);
    down.set(e.pointerId, p);
    state.set(t);
  });
  const up = (e: PointerEvent) => down.delete(e.pointerId);
  svg.addEventListener('pointerup', up);
  svg.addEventListener('pointercancel', up);
  // A drag is not a click: a pan that ends over a node must not select it.
  svg.addEventListener(
    'click',
    (e) => {
      if (moved) e.stopPropagation();
      moved = false;
    },
    true,
  );
}
