/**
 * Docker's tables: Go's text/tabwriter with minwidth 10, padding 3, padchar ' '.
 * A column is as wide as its widest cell plus the padding (at least 10); the last
 * cell of a row is not padded, as it is not terminated by a tab.
 */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      if (i === row.length - 1) return;
      const w = Math.max(10, cellWidth(cell) + 3);
      if (w > (widths[i] ?? 0)) widths[i] = w;
    });
  }
  let out = '';
  for (const row of rows) {
    let line = '';
    row.forEach((cell, i) => {
      line += i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 10) - cellWidth(cell));
    });
    out += `${line}\n`;
  }
  return out;
}

function cellWidth(cell: string): number {
  // tabwriter counts runes (code points), not UTF-16 units.
  let n = 0;
  for (const _ of cell) n++;
  return n;
}
