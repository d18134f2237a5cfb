/** Default grid: pixels per column and row, and a node's box. */
export const GRID = { colWidth: 180, rowHeight: 76, nodeWidth: 156, nodeHeight: 48 } as const;

/** The grid's size options, as `renderLayerGraph` and `fitLayerGraph` take them. */
export interface GridOptions {
  colWidth?: number;
  rowHeight?: number;
  nodeWidth?: number;
  nodeHeight?: number;
}

/**
 * Grid units to pixels. Base at the bottom: row 0 at y = 0, higher rows above it; the
 * zoom transform places the picture, so growing the graph never shifts what is drawn.
 */
export interface Geometry {
  x: (col: number) => number;
  y: (row: number) => number;
  /** A node's box. */
  w: number;
  h: number;
  /** A node's transform at its slot. */
  at: (d: { col: number; row: number }) => string;
}

export function geometryOf(opts: GridOptions): Geometry {
  const colWidth = opts.colWidth ?? GRID.colWidth;
  const rowHeight = opts.rowHeight ?? GRID.rowHeight;
  const x = (col: number) => col * colWidth;
  const y = (row: number) => -row * rowHeight;
  return { x, y, w: opts.nodeWidth ?? GRID.nodeWidth, h: opts.nodeHeight ?? GRID.nodeHeight, at: (d) => `translate(${x(d.col)},${y(d.row)})` };
}

/** How many characters of a monospace label fit in `px`: about 0.6em per character at the stylesheet's 12px. */
export function fits(px: number): number {
  return Math.max(4, Math.floor(px / 7.2));
}
