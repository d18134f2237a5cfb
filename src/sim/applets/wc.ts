import type { AppletContext } from '../process/context.js';
import { badOption, getopt } from './util.js';
import { inputs } from './text-read.js';
import { toBytes } from '../process/streams.js';

/** wc [-lwcm]: busybox pads each count to 9 columns when several are shown or a total follows. */
export async function wc(ctx: AppletContext): Promise<number> {
  const o = getopt(ctx.argv.slice(1), 'lwcmL');
  if (o.bad) return badOption(ctx, 'wc', o.bad, '[-cmlwL] [FILE]...');
  const f = o.flags;
  const which = ['l', 'w', 'c'].filter((k) => f.has(k) || (k === 'c' && f.has('m')));
  const cols = which.length ? which : ['l', 'w', 'c'];
  const totals: Record<string, number> = { l: 0, w: 0, c: 0 };
  const rows: { counts: number[]; name: string | undefined }[] = [];
  let status = 0;
  for await (const input of inputs(ctx, o.args, 'wc')) {
    if ('error' in input) {
      ctx.stderr.write(input.error + '\n');
      status = 1;
      continue;
    }
    const t = input.text;
    const c: Record<string, number> = {
      l: (t.match(/\n/g) ?? []).length,
      w: (t.match(/\S+/g) ?? []).length,
      c: toBytes(t).length,
    };
    for (const k of cols) totals[k]! += c[k]!;
    rows.push({ counts: cols.map((k) => c[k]!), name: input.name === '-' ? undefined : input.name });
  }
  if (rows.length > 1) rows.push({ counts: cols.map((k) => totals[k]!), name: 'total' });
  // busybox: a lone count for a lone file is printed unpadded.
  const pad = cols.length > 1 || rows.length > 1 || rows.some((r) => r.name === undefined && cols.length > 1);
  let out = '';
  for (const r of rows) {
    const nums = r.counts.map((n) => (pad ? String(n).padStart(9) : String(n))).join(' ');
    out += r.name === undefined ? `${nums}\n` : `${nums} ${r.name}\n`;
  }
  ctx.stdout.write(out);
  return status;
}
