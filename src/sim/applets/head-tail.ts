import type { AppletContext } from '../process/context.js';
import { badOption, getopt } from './util.js';
import { inputs, lines } from './text-read.js';

async function headTail(ctx: AppletContext, which: 'head' | 'tail'): Promise<number> {
  const o = getopt(ctx.argv.slice(1), 'n:c:qvf', true);
  if (o.bad) return badOption(ctx, which, o.bad, `[OPTIONS] [FILE]...`);
  const nArg = o.values.get('n') ?? '10';
  const fromStart = which === 'tail' && nArg.startsWith('+');
  const n = Math.abs(Number.parseInt(nArg, 10));
  if (Number.isNaN(n)) {
    ctx.stderr.write(`${which}: invalid number '${nArg}'\n`);
    return 1;
  }
  let status = 0;
  const headers = o.args.length > 1 && !o.flags.has('q');
  let first = true;
  for await (const input of inputs(ctx, o.args, which)) {
    if ('error' in input) {
      ctx.stderr.write(input.error + '\n');
      status = 1;
      continue;
    }
    if (headers) {
      ctx.stdout.write(`${first ? '' : '\n'}==> ${input.name === '-' ? 'standard input' : input.name} <==\n`);
    }
    first = false;
    const ls = lines(input.text);
    const endsNl = input.text.endsWith('\n');
    let pick: string[];
    if (which === 'head') pick = ls.slice(0, n);
    else if (fromStart) pick = ls.slice(Math.max(0, n - 1));
    else pick = n === 0 ? [] : ls.slice(-n);
    const lastIncluded = which === 'head' ? pick.length === ls.length : true;
    let out = pick.join('\n');
    if (pick.length && (endsNl || !lastIncluded)) out += '\n';
    ctx.stdout.write(out);
  }
  return status;
}

export const head = (ctx: AppletContext) => headTail(ctx, 'head');
export const tail = (ctx: AppletContext) => headTail(ctx, 'tail');
