import type { StateSnapshot } from '../engine/state.js';

/** One thing the graph places: an image, a container or a running build, by its index in the snapshot. */
export type Placed = { kind: 'image' | 'container' | 'build'; index: number };

const RANK = { image: 0, container: 1, build: 2 } as const;

/**
 * The order the graph places things in: creation time (a build's start), ties kept in
 * the engine's order, images before containers before builds. Placing in this order is
 * what keeps a newer entity from displacing an older one.
 */
export function creationOrder(state: StateSnapshot): Placed[] {
  type Timed = Placed & { t: number };
  const all: Timed[] = [
    ...state.images.map((i, index): Timed => ({ t: timeOf(i.created), kind: 'image', index })),
    ...state.containers.map((c, index): Timed => ({ t: timeOf(c.created), kind: 'container', index })),
    ...(state.builds ?? []).map((b, index): Timed => ({ t: timeOf(b.started), kind: 'build', index })),
  ];
  all.sort((a, b) => a.t - b.t || RANK[a.kind] - RANK[b.kind] || a.index - b.index);
  return all;
}

function timeOf(iso: string): number {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
}
