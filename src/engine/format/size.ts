/**
 * Sizes as Docker prints them (go-units `HumanSizeWithPrecision`): decimal units,
 * `%.<precision>g` (significant digits, trailing zeros dropped).
 */
const DECIMAL_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];

export function humanSizeWithPrecision(bytes: number, precision: number): string {
  let size = bytes;
  let unit = 0;
  while (size >= 1000 && unit < DECIMAL_UNITS.length - 1) {
    size /= 1000;
    unit++;
  }
  return `${formatG(size, precision)}${DECIMAL_UNITS[unit]}`;
}

/** go-units `BytesSize`: binary units, four significant digits (`docker info` memory). */
export function bytesSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'];
  let size = bytes;
  let unit = 0;
  while (size >= 1024 && unit < units.length - 1) {
    size /= 1024;
    unit++;
  }
  return `${formatG(size, 4)}${units[unit]}`;
}

/** go-units `HumanSize`: four significant digits (`docker system df`). */
export function humanSize(bytes: number): string {
  return humanSizeWithPrecision(bytes, 4);
}

/** Docker's tables (`images`, `ps -s`, `history`) use three significant digits. */
export function tableSize(bytes: number): string {
  return humanSizeWithPrecision(bytes, 3);
}

/** Go's `%.Ng`: N significant digits, no trailing zeros, exponent form when large. */
function formatG(value: number, precision: number): string {
  if (value === 0) return '0';
  const exponent = Math.floor(Math.log10(Math.abs(value)));
  const rounded = Number(value.toPrecision(precision));
  const roundedExponent = rounded === 0 ? exponent : Math.floor(Math.log10(Math.abs(rounded)));
  if (roundedExponent < -4 || roundedExponent >= precision) {
    const [mantissa = '0', exp = '0'] = rounded.toExponential(precision - 1).split('e');
    const m = stripZeros(mantissa);
    const e = Number(exp);
    return `${m}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  return stripZeros(rounded.toFixed(Math.max(0, precision - 1 - roundedExponent)));
}

function stripZeros(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}
