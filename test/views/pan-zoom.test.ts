import { describe, expect, it } from 'vitest';
import { identity, MAX_SCALE, MIN_SCALE, Transform, wheelDelta, zoomAbout } from '../../src/views/pan-zoom.view.js';

/** Where the transform puts a point of the drawing on screen. */
const screen = (t: Transform, x: number, y: number) => [t.k * x + t.x, t.k * y + t.y];
/** The drawing's point under a screen point. */
const drawing = (t: Transform, x: number, y: number) => [(x - t.x) / t.k, (y - t.y) / t.k];

describe('pan-zoom transform', () => {
  it("reads as d3-zoom's transform attribute", () => {
    expect(new Transform(1.5, 10, -20).toString()).toBe('translate(10,-20) scale(1.5)');
    expect(identity.toString()).toBe('translate(0,0) scale(1)');
  });

  it('zooming about a point keeps the drawing under it where it was', () => {
    const t = new Transform(0.7, 33, -12);
    for (const [k, px, py] of [
      [1.4, 100, 50],
      [0.35, -20, 300],
      [2.1, 0, 0],
    ] as const) {
      const under = drawing(t, px, py);
      const z = zoomAbout(t, k, px, py);
      expect(z.k).toBeCloseTo(k);
      const [sx, sy] = screen(z, under[0]!, under[1]!);
      expect(sx).toBeCloseTo(px, 9);
      expect(sy).toBeCloseTo(py, 9);
    }
  });

  it('clamps the scale to [0.1, 4] and still keeps the point', () => {
    const t = new Transform(2, 5, 5);
    expect(zoomAbout(t, 100, 40, 40).k).toBe(MAX_SCALE);
    expect(zoomAbout(t, 0.001, 40, 40).k).toBeCloseTo(MIN_SCALE, 12);
    const z = zoomAbout(t, 100, 40, 40);
    const [sx, sy] = screen(z, ...(drawing(t, 40, 40) as [number, number]));
    expect(sx).toBeCloseTo(40, 9);
    expect(sy).toBeCloseTo(40, 9);
    expect(zoomAbout(new Transform(MAX_SCALE, 1, 2), 8, 0, 0)).toEqual(new Transform(MAX_SCALE, 1, 2));
  });

  it("steps the wheel at d3-zoom's rate, ten times with ctrlKey (a trackpad's pinch)", () => {
    expect(wheelDelta({ deltaY: -100, deltaMode: 0, ctrlKey: false })).toBeCloseTo(0.2);
    expect(wheelDelta({ deltaY: 3, deltaMode: 1, ctrlKey: false })).toBeCloseTo(-0.15);
    expect(wheelDelta({ deltaY: 1, deltaMode: 2, ctrlKey: false })).toBe(-1);
    expect(wheelDelta({ deltaY: -10, deltaMode: 0, ctrlKey: true })).toBeCloseTo(0.2);
  });
});
