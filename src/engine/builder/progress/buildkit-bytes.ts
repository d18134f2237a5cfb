/**
 * A size as buildx's plain printer writes a status's bytes (`%.2f` of tonistiigi/units'
 * `Bytes`): under 1000 the whole bytes (`735B`), else two decimals of a decimal unit
 * (`1.32kB`, `3.40MB`) — not go-units' four significant digits (`humanSize`).
 */
export function buildkitBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes}B`;
  const units = ['kB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  let unit = 0;
  let base = 1000;
  while (unit < units.length - 1 && bytes >= base * 1000) {
    base *= 1000;
    unit++;
  }
  return `${fixed2(bytes / base)}${units[unit]}`;
}

/** Go's `%.2f` of the double: as `toFixed(2)`, but an exact tie (1.125, 1.625: eighths, the only
 * three-decimal doubles) goes to the even digit, as Go rounds, where `toFixed` goes up. */
function fixed2(x: number): string {
  if (Number.isInteger(x * 8) && !Number.isInteger(x * 4)) {
    const down = Math.floor(x * 100);
    return ((down % 2 === 0 ? down : down + 1) / 100).toFixed(2);
  }
  return x.toFixed(2);
}
