/**
 * Docker's own ways of shortening what it prints, for labels that must read like
 * `docker history` and `docker images`. Pure string functions, no DOM.
 */

const DECIMAL_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'] as const;

/**
 * Docker (go-units `HumanSizeWithPrecision(size, 3)`, used by `docker history` and
 * `docker images`): decimal units, Go's `%.3g` — so 1234 is `1.23kB` and 999600 is
 * `1e+03kB`, exactly as the CLI prints it.
 */
export function humanSize(bytes: number, precision = 3): string {
  let size = bytes;
  let unit = 0;
  while (size >= 1000 && unit < DECIMAL_UNITS.length - 1) {
    size /= 1000;
    unit++;
  }
  return `${goFormatG(size, precision)}${DECIMAL_UNITS[unit]}`;
}

/**
 * Go's `strconv.FormatFloat(x, 'g', precision, 64)` for finite x ≥ 0: round the exact
 * decimal value half-to-even to `precision` digits, drop trailing zeros, use the
 * exponent form when the exponent is < -4 or ≥ precision.
 */
export function goFormatG(x: number, precision: number): string {
  if (x === 0) return '0';
  // A double below 1e21 prints exactly within 100 significant digits (its binary
  // fraction has at most 52 bits here), which lets us round the way Go's decimal does.
  const exact = x.toPrecision(100);
  const [intPart = '', fracPart = ''] = exact.split('.');
  let digits = (intPart + fracPart).replace(/^0+/, '');
  const leadingZeros = (intPart + fracPart).length - digits.length;
  let pointAt = intPart.length - leadingZeros; // decimal point position within `digits`
  digits = digits.replace(/0+$/, '');
  if (digits.length > precision) {
    const kept = digits.slice(0, precision);
    const rest = digits.slice(precision);
    const first = rest.charCodeAt(0) - 48;
    const tie = first === 5 && /^5$/.test(rest);
    const lastKept = kept.charCodeAt(kept.length - 1) - 48;
    const roundUp = first > 5 || (first === 5 && !tie) || (tie && lastKept % 2 === 1);
    digits = roundUp ? incrementDigits(kept) : kept;
    if (digits.length > precision) pointAt++; // 999 → 1000
    digits = digits.slice(0, precision).replace(/0+$/, '') || '0';
  }
  const exponent = pointAt - 1;
  if (exponent < -4 || exponent >= precision) {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const sign = exponent < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (pointAt <= 0) return `0.${'0'.repeat(-pointAt)}${digits}`;
  if (pointAt >= digits.length) return digits + '0'.repeat(pointAt - digits.length);
  return `${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
}

function incrementDigits(digits: string): string {
  const out = digits.split('');
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] === '9') {
      out[i] = '0';
    } else {
      out[i] = String(Number(out[i]) + 1);
      return out.join('');
    }
  }
  return `1${out.join('')}`;
}

/**
 * The legacy builder records metadata steps as `/bin/sh -c #(nop)  CMD ["sh"]`; what the
 * learner wrote is the part after `#(nop)`. BuildKit's `RUN … # buildkit` comment
 * likewise says nothing about the step. Docker's history also flattens tabs.
 */
export function trimCreatedBy(createdBy: string): string {
  return createdBy
    .replace(/\t/g, ' ')
    .replace(/^\/bin\/sh -c #\(nop\)\s*/, '')
    .replace(/\s+# buildkit$/, '')
    .trim();
}

/** Docker CLI's `formatter.Ellipsis`: cut to `width` characters, the last one `…`. */
export function ellipsis(text: string, width: number): string {
  const chars = Array.from(text);
  if (chars.length <= width) return text;
  if (width <= 1) return chars.slice(0, width).join('');
  return `${chars.slice(0, width - 1).join('')}…`;
}

/** Fills `{name}` placeholders, the format of the UI catalogs (src/i18n). */
export function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match));
}
