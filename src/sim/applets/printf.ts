import { formatCFloat, type FloatConversion } from './c-float-format.js';
import { interpretEscapes } from './echo.js';
import type { AppletContext } from '../process/context.js';

/** printf FORMAT [ARG]…: the format is reused until the arguments run out. */
export async function printf(ctx: AppletContext): Promise<number> {
  const [format, ...args] = ctx.argv.slice(1);
  if (format === undefined) {
    ctx.stderr.write('printf: usage: printf FORMAT [ARGUMENT]...\n');
    return 1;
  }
  let status = 0;
  let out = '';
  let i = 0;
  do {
    const r = formatOnce(format, args, i, (msg) => {
      ctx.stderr.write(`printf: ${msg}\n`);
      status = 1;
    });
    out += r.text;
    if (r.stop) break;
    if (r.used === 0) break;
    i += r.used;
  } while (i < args.length);
  ctx.stdout.write(out);
  return status;
}

function formatOnce(format: string, args: string[], start: number, warn: (m: string) => void): { text: string; used: number; stop: boolean } {
  let out = '';
  let used = 0;
  const next = () => args[start + used++];
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c === '\\') {
      const m = /^\\([0-7]{1,3}|x[0-9a-fA-F]{1,2}|.)/.exec(format.slice(i))!;
      const r = interpretEscapes(m[0]);
      if (r.stop) return { text: out, used, stop: true };
      out += r.text;
      i += m[0].length - 1;
      continue;
    }
    if (c !== '%') {
      out += c;
      continue;
    }
    const m = /^%([-+ #0]*)(\*|[0-9]+)?(?:\.(\*|[0-9]+))?([diouxXcsbfeEgG%])/.exec(format.slice(i));
    if (!m) {
      out += c;
      continue;
    }
    i += m[0].length - 1;
    const [, flags = '', w, p, conv] = m;
    if (conv === '%') {
      out += '%';
      continue;
    }
    const width = w === '*' ? Number(next() ?? 0) : w ? Number(w) : 0;
    const prec = p === '*' ? Number(next() ?? 0) : p !== undefined ? Number(p) : undefined;
    const arg = next();
    let s: string;
    switch (conv) {
      case 's':
        s = arg ?? '';
        if (prec !== undefined) s = s.slice(0, prec);
        break;
      case 'b': {
        const r = interpretEscapes(arg ?? '');
        s = r.text;
        if (r.stop) return { text: out + s, used, stop: true };
        break;
      }
      case 'c':
        s = (arg ?? '').slice(0, 1);
        break;
      case 'd':
      case 'i':
      case 'o':
      case 'u':
      case 'x':
      case 'X': {
        let n = 0;
        const a = arg ?? '';
        if (a && !/^[-+]?[0-9]+$/.test(a.trim())) {
          if (/^['"]/.test(a)) n = a.charCodeAt(1) || 0;
          else warn(`invalid number '${a}'`);
        } else n = Number.parseInt(a || '0', 10);
        s = conv === 'o' ? n.toString(8) : conv === 'x' ? n.toString(16) : conv === 'X' ? n.toString(16).toUpperCase() : String(Math.abs(n));
        if ((conv === 'd' || conv === 'i') && n < 0) s = '-' + s;
        else if (flags.includes('+') && (conv === 'd' || conv === 'i')) s = '+' + s;
        if (prec !== undefined) s = s.padStart(prec, '0');
        if (flags.includes('0') && !flags.includes('-')) {
          const sign = /^[-+]/.test(s) ? s[0] : '';
          s = sign + s.slice(sign!.length).padStart(width - sign!.length, '0');
        }
        break;
      }
      default: {
        const n = Number(arg ?? 0);
        s = formatCFloat(n, (conv ?? 'f').toLowerCase() as FloatConversion, prec, flags.includes('#'));
        if (!s.startsWith('-') && flags.includes('+')) s = '+' + s;
        if (conv === 'E' || conv === 'G') s = s.toUpperCase();
        if (flags.includes('0') && !flags.includes('-') && Number.isFinite(n)) {
          const sign = /^[-+]/.test(s) ? s[0]! : '';
          s = sign + s.slice(sign.length).padStart(width - sign.length, '0');
        }
      }
    }
    out += flags.includes('-') ? s.padEnd(width) : s.padStart(width);
  }
  return { text: out, used, stop: false };
}
