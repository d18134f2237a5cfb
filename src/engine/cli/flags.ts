import { EngineError } from '../errors.js';

/**
 * Flags as Docker's CLI (cobra + spf13/pflag) parses them: `-it` combined shorthands,
 * `-eK=V` / `-e K=V`, `--name=x` / `--name x`, `--rm=false`, `--` ends flags. Commands
 * that take a command line of their own (`run`, `create`, `exec`) stop at the first
 * argument (`SetInterspersed(false)`), so `docker run busybox ls -l` keeps `-l`.
 */
export type FlagType = 'bool' | 'string' | 'int' | 'list' | 'bytes' | 'swapbytes' | 'decimal';

export interface FlagSpec {
  long: string;
  short?: string;
  type: FlagType;
  /** pflag's MarkHidden/MarkDeprecated: parsed, but not offered (help, Tab completion). */
  hidden?: boolean;
}

export type FlagValue = boolean | string | number | string[];

export interface ParsedArgs {
  flags: Map<string, FlagValue>;
  args: string[];
}

/** A usage error: Docker prints it with the usage line and exits 125. */
export class FlagError extends EngineError {
  constructor(
    message: string,
    readonly code: 'UNKNOWN_FLAG' | 'FLAG_NEEDS_ARGUMENT' | 'INVALID_FLAG_VALUE' = 'INVALID_FLAG_VALUE',
  ) {
    super(message);
  }
}

export function parseFlags(words: readonly string[], specs: readonly FlagSpec[], interspersed: boolean): ParsedArgs {
  const flags = new Map<string, FlagValue>();
  const args: string[] = [];
  const byLong = new Map(specs.map((s) => [s.long, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const set = (spec: FlagSpec, raw: string) => {
    const name = flagName(spec);
    switch (spec.type) {
      case 'bool': {
        const v = parseBool(raw);
        if (v === undefined) throw new FlagError(`invalid argument "${raw}" for "${name}" flag: strconv.ParseBool: parsing "${raw}": invalid syntax`);
        flags.set(spec.long, v);
        break;
      }
      case 'int': {
        if (!/^[+-]?\d+$/.test(raw))
          throw new FlagError(`invalid argument "${raw}" for "${name}" flag: strconv.ParseInt: parsing "${raw}": invalid syntax`);
        flags.set(spec.long, Number(raw));
        break;
      }
      case 'bytes':
      case 'swapbytes': {
        // docker/cli opts.MemSwapBytes: as MemBytes, and -1 (unlimited swap).
        const n = spec.type === 'swapbytes' && raw === '-1' ? -1 : parseBytes(raw);
        if (n === undefined) throw new FlagError(`invalid argument "${raw}" for "${name}" flag: invalid size: '${raw}'`);
        flags.set(spec.long, n);
        break;
      }
      case 'decimal': {
        // docker/cli opts.NanoCPUs: a big.Rat times 1e9, which must come out whole.
        const nano = parseNano(raw);
        if (nano === 'invalid') throw new FlagError(`invalid argument "${raw}" for "${name}" flag: failed to parse ${raw} as a rational number`);
        if (nano === 'too precise') throw new FlagError(`invalid argument "${raw}" for "${name}" flag: value is too precise`);
        flags.set(spec.long, nano);
        break;
      }
      case 'list': {
        const prev = flags.get(spec.long);
        flags.set(spec.long, [...(Array.isArray(prev) ? prev : []), raw]);
        break;
      }
      case 'string':
        flags.set(spec.long, raw);
    }
  };
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '--') {
      args.push(...words.slice(i + 1));
      break;
    }
    if (w.startsWith('--')) {
      const eq = w.indexOf('=');
      const name = eq >= 0 ? w.slice(2, eq) : w.slice(2);
      const spec = byLong.get(name);
      if (!spec) throw new FlagError(`unknown flag: --${name}`, 'UNKNOWN_FLAG');
      if (eq >= 0) set(spec, w.slice(eq + 1));
      else if (spec.type === 'bool') set(spec, 'true');
      else if (i + 1 < words.length) set(spec, words[++i]!);
      else throw new FlagError(`flag needs an argument: --${name}`, 'FLAG_NEEDS_ARGUMENT');
    } else if (w.startsWith('-') && w.length > 1) {
      for (let j = 1; j < w.length; j++) {
        const c = w[j]!;
        const spec = byShort.get(c);
        if (!spec) throw new FlagError(`unknown shorthand flag: '${c}' in ${w}`, 'UNKNOWN_FLAG');
        if (spec.type === 'bool') {
          if (w[j + 1] === '=') {
            set(spec, w.slice(j + 2));
            break;
          }
          set(spec, 'true');
          continue;
        }
        const rest = w.slice(j + 1);
        if (rest) set(spec, rest.startsWith('=') ? rest.slice(1) : rest);
        else if (i + 1 < words.length) set(spec, words[++i]!);
        else throw new FlagError(`flag needs an argument: '${c}' in ${w}`, 'FLAG_NEEDS_ARGUMENT');
        break;
      }
    } else {
      if (!interspersed) {
        args.push(...words.slice(i));
        break;
      }
      args.push(w);
    }
  }
  return { flags, args };
}

function flagName(spec: FlagSpec): string {
  return spec.short ? `-${spec.short}, --${spec.long}` : `--${spec.long}`;
}

function parseBool(raw: string): boolean | undefined {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(raw)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(raw)) return false;
  return undefined;
}

/** go-units `RAMInBytes`: `512m`, `1g`, `100k`, binary multiples. */
function parseBytes(raw: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgtp]?)(i?b)?$/i.exec(raw);
  if (!m) return undefined;
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 }[m[2]!.toLowerCase() as 'k'];
  return Math.floor(Number(m[1]) * unit);
}

/** Go's `big.Rat.SetString` forms (`1.5`, `3/2`, `1e-2`) times 1e9, when that is whole. */
function parseNano(raw: string): number | 'invalid' | 'too precise' {
  const fraction = /^([+-]?\d+)\/(\d+)$/.exec(raw);
  if (fraction) {
    const den = BigInt(fraction[2]!);
    if (den === 0n) return 'invalid';
    const num = BigInt(fraction[1]!) * 1_000_000_000n;
    return num % den === 0n ? Number(num / den) : 'too precise';
  }
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(raw);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return 'invalid';
  const digits = BigInt(`${m[2]}${m[3] ?? ''}` || '0');
  const scale = 9 + Number(m[4] ?? 0) - (m[3] ?? '').length;
  if (Math.abs(scale) > 400) return digits === 0n ? 0 : scale > 0 ? Infinity : 'too precise';
  let nano: bigint;
  if (scale >= 0) nano = digits * 10n ** BigInt(scale);
  else {
    const div = 10n ** BigInt(-scale);
    if (digits % div !== 0n) return 'too precise';
    nano = digits / div;
  }
  return Number(m[1] === '-' ? -nano : nano);
}

export function bool(p: ParsedArgs, name: string): boolean {
  return p.flags.get(name) === true;
}
export function str(p: ParsedArgs, name: string): string | undefined {
  const v = p.flags.get(name);
  return typeof v === 'string' ? v : undefined;
}
export function int(p: ParsedArgs, name: string): number | undefined {
  const v = p.flags.get(name);
  return typeof v === 'number' ? v : undefined;
}
export function list(p: ParsedArgs, name: string): string[] {
  const v = p.flags.get(name);
  return Array.isArray(v) ? v : [];
}
