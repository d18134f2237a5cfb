/**
 * printf's %f, %e and %g as C (glibc, which busybox calls) writes them. JavaScript's
 * toFixed/toExponential differ in two ways that learners can see: an exact tie (2.5 to
 * no decimals) rounds half up in JS but to even in C, and C writes the exponent with at
 * least two digits (`1e+06`, not `1e+6`). %g is C's own rule: %e or %f by exponent,
 * trailing zeros dropped.
 */
export type FloatConversion = 'f' | 'e' | 'g';

export function formatCFloat(x: number, conv: FloatConversion, precision: number | undefined, alternate = false): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x < 0 ? '-inf' : 'inf';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const abs = Math.abs(x);
  const body = conv === 'f' ? fixed(abs, precision ?? 6) : conv === 'e' ? exponential(abs, precision ?? 6) : general(abs, precision ?? 6, alternate);
  return sign + body;
}

/** Digits of |x| rounded to `decimals` places, ties to even. */
function fixed(abs: number, decimals: number): string {
  if (abs >= 1e21) {
    // toFixed switches to exponent form here; the integer part is exact as a BigInt.
    const int = BigInt(abs).toString();
    return decimals > 0 ? `${int}.${'0'.repeat(decimals)}` : int;
  }
  const js = abs.toFixed(decimals);
  return isExactTie(abs.toFixed(Math.min(100, decimals + 30)), decimals) ? roundTieToEven(js, abs.toFixed(Math.min(100, decimals + 1))) : js;
}

function exponential(abs: number, decimals: number): string {
  let js = abs.toExponential(decimals);
  const long = abs.toExponential(Math.min(100, decimals + 30));
  const [mantissa = '', exp = '0'] = long.split('e');
  if (isExactTie(mantissa, decimals)) {
    const [m = '', e = '0'] = js.split('e');
    const even = roundTieToEven(m, abs.toExponential(Math.min(100, decimals + 1)).split('e')[0]!);
    // Rounding up may carry into the exponent (9.5 → 1e+01); the lower neighbour keeps the exact one.
    js = `${even}e${even === m ? e : exp}`;
  }
  const [m = '', e = '0'] = js.split('e');
  const n = Number(e);
  return `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
}

/** C's %g: P significant digits, %e when the exponent is < -4 or ≥ P, trailing zeros dropped unless `#`. */
function general(abs: number, precision: number, alternate: boolean): string {
  const p = precision === 0 ? 1 : precision;
  const asE = exponential(abs, p - 1);
  const exp = abs === 0 ? 0 : Number(asE.split('e')[1]);
  const s = exp < -4 || exp >= p ? asE : fixed(abs, p - 1 - exp);
  if (alternate) return s;
  const [m = '', e] = s.split('e');
  const trimmed = m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '') : m;
  return e === undefined ? trimmed : `${trimmed}e${e}`;
}

/**
 * `long` is the same number with many more digits (exact for a double at these sizes):
 * a tie has a 5 right after the kept digits and only zeros after it.
 */
function isExactTie(long: string, decimals: number): boolean {
  const dot = long.indexOf('.');
  if (dot < 0) return false;
  const rest = long.slice(dot + 1 + decimals);
  return /^50*$/.test(rest);
}

/** JS rounded the tie up (away from zero); C takes whichever neighbour ends in an even digit. */
function roundTieToEven(js: string, oneMore: string): string {
  // The lower neighbour is the digits with the tie's 5 cut off.
  const cut = oneMore.slice(0, -1);
  const lower = cut.endsWith('.') ? cut.slice(0, -1) : cut;
  return Number(lower.slice(-1)) % 2 === 0 ? lower : js;
}
