import type { AppletContext } from '../process/context.js';

/** busybox echo: `-n` drops the newline, `-e` interprets escapes (`\c` stops output). */
export async function echo(ctx: AppletContext): Promise<number> {
  const args = ctx.argv.slice(1);
  let newline = true;
  let escapes = false;
  while (args.length && /^-[neE]+$/.test(args[0]!)) {
    const f = args.shift()!;
    if (f.includes('n')) newline = false;
    if (f.includes('e')) escapes = true;
    if (f.includes('E')) escapes = false;
  }
  let out = args.join(' ');
  if (escapes) {
    const r = interpretEscapes(out);
    out = r.text;
    if (r.stop) newline = false;
  }
  ctx.stdout.write(newline ? out + '\n' : out);
  return 0;
}

/** Backslash escapes of `echo -e` and printf's `%b`: `\n \t \\ \0NNN \xHH \c`. */
export function interpretEscapes(s: string): { text: string; stop: boolean } {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '\\' || i + 1 >= s.length) {
      out += c;
      continue;
    }
    const n = s[++i]!;
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', e: '\x1b', '\\': '\\' };
    if (simple[n] !== undefined) out += simple[n];
    else if (n === 'c') return { text: out, stop: true };
    else if (n === '0' || /[1-7]/.test(n)) {
      const m = /^[0-7]{0,3}/.exec(s.slice(n === '0' ? i + 1 : i))![0];
      out += String.fromCharCode(parseInt(m || '0', 8));
      i += n === '0' ? m.length : m.length - 1;
    } else if (n === 'x') {
      const m = /^[0-9a-fA-F]{1,2}/.exec(s.slice(i + 1));
      if (m) {
        out += String.fromCharCode(parseInt(m[0], 16));
        i += m[0].length;
      } else out += '\\x';
    } else out += '\\' + n;
  }
  return { text: out, stop: false };
}
