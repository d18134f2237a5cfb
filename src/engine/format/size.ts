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
  return `${goFormatG(size, precision)}${DECIMAL_UNITS[unit]}`;
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
  return `${goFormatG(size, 4)}${units[unit]}`;
}

/** go-units `HumanSize`: four significant digits (`docker system df`). */
export function humanSize(bytes: number): string {
  return humanSizeWithPrecision(bytes, 4);
}

/** Docker's tables (`images`, `ps -s`, `history`) use three significant digits. */
export function tableSize(bytes: number): string {
  return humanSizeWithPrecision(bytes, 3);
}

/**
 * Go's `strconv.FormatFloat(x, 'g', precision, 64)` for finite x ≥ 0, which go-units'
 * `%.Ng` is: the exact decimal value of the double rounded half to even to N significant
 * digits (so 1.125 → 1.12, as ryuFtoaFixed64 does), trailing zeros dropped, the exponent
 * form when the exponent is < -4 or ≥ N.
 */
export function goFormatG(x: number, precision: number): string {
  if (x === 0) return '0';
  // A double's exact decimal expansion fits in 100 significant digits for the sizes we
  // print (an integer below 2^53 divided by powers of 1000 or 1024 a few times).
  const [mantissa = '', exp = '0'] = x.toExponential(99).split('e');
  let digits = mantissa.replace('.', '').replace(/0+$/, '');
  let exponent = Number(exp);
  if (digits.length > precision) {
    const kept = digits.slice(0, precision);
    const rest = digits.slice(precision);
    const tie = rest === '5';
    const roundUp = rest[0]! > '5' || (rest[0] === '5' && !tie) || (tie && Number(kept[kept.length - 1]) % 2 === 1);
    digits = roundUp ? incrementDigits(kept) : kept;
    // 9.99 → 10.0: one more digit before the point.
    if (digits.length > precision) exponent++;
    digits = digits.slice(0, precision).replace(/0+$/, '') || '0';
  }
  if (exponent < -4 || exponent >= precision) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${m}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  const pointAt = exponent + 1;
  if (pointAt <= 0) return `0.${'0'.repeat(-pointAt)}${digits}`;
  if (pointAt >= digits.length) return digits + '0'.repeat(pointAt - digits.length);
  return `${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
}

function incrementDigits(digits: string): string {
  const out = digits.split('');
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] !== '9') {
      out[i] = String(Number(out[i]) + 1);
      return out.join('');
    }
    out[i] = '0';
  }
  return `1${out.join('')}`;
}
