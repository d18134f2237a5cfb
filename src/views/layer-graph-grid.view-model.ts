/** How far right a branch looks for a free slot before opening a new column. */
const SCAN = 8;

export interface Pos {
  col: number;
  row: number;
}

/**
 * The layer graph's slots, in grid units: `col` across, `row` up from the base. A node
 * takes the free slot above its parent (or the nearest free one to the right, at most
 * `SCAN` columns on), else a new column; a slot once taken is never given again, so a
 * node placed later never moves one placed before.
 */
export class Grid {
  /** Every slot taken so far has col < cols and row < rows. */
  cols = 0;
  rows = 0;
  readonly #occupied = new Set<string>();

  take(row: number, preferred: number | null): Pos {
    let col = -1;
    if (preferred !== null) {
      for (let c = preferred; c <= preferred + SCAN && c < this.cols + 1; c++) {
        if (!this.#occupied.has(`${c},${row}`)) {
          col = c;
          break;
        }
      }
    }
    if (col < 0) col = this.cols;
    this.#occupied.add(`${col},${row}`);
    this.cols = Math.max(this.cols, col + 1);
    this.rows = Math.max(this.rows, row + 1);
    return { col, row };
  }
}
