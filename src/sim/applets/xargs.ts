import type { AppletContext } from '../process/context.js';
import { runArgv } from './exec-argv.js';
import { badOption, getopt } from './util.js';

/** xargs [-n N] [-I STR] [CMD [ARGS]]: runs CMD (default echo) with words from stdin. */
export async function xargs(ctx: AppletContext): Promise<number> {
  const args = ctx.argv.slice(1);
  // Options end at the first operand; `-n N` and `-I STR` take the next word.
  let optEnd = 0;
  while (optEnd < args.length && args[optEnd]!.startsWith('-')) optEnd += /^-[nI]$/.test(args[optEnd]!) ? 2 : 1;
  if (optEnd >= args.length) optEnd = -1;
  const opts = getopt(optEnd < 0 ? args : args.slice(0, optEnd), 'n:I:trx0');
  if (opts.bad) return badOption(ctx, 'xargs', opts.bad, '[OPTIONS] [PROG ARGS]');
  const cmd = optEnd < 0 ? ['echo'] : args.slice(optEnd);
  const text = await ctx.stdin.readText();
  const words = opts.flags.has('0')
    ? text.split('\0').filter(Boolean)
    : (text.match(/"[^"]*"|'[^']*'|\S+/g) ?? []).map((w) => w.replace(/^["']|["']$/g, ''));
  if (!words.length && opts.flags.has('r')) return 0;
  const repl = opts.values.get('I');
  const n = repl ? 1 : opts.values.has('n') ? Number(opts.values.get('n')) : words.length || 1;
  const batches = repl
    ? text
        .split('\n')
        .filter(Boolean)
        .map((l) => [l])
    : [];
  if (!repl) for (let i = 0; i < Math.max(words.length, 1); i += n) batches.push(words.slice(i, i + n));
  let status = 0;
  for (const b of batches) {
    const argv = repl ? cmd.map((c) => c.split(repl).join(b[0]!)) : [...cmd, ...b];
    if (opts.flags.has('t')) ctx.stderr.write(argv.join(' ') + '\n');
    const s = await runArgv({ ...ctx, argv }, argv, 'xargs');
    if (s === 127 || s === 126) return s;
    if (s !== 0) status = 123;
  }
  return status;
}
