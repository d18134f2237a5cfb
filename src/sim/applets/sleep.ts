import type { AppletContext } from '../process/context.js';
import { BANNER, sleepMs } from './util.js';

const UNITS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

/** sleep N[smhd]…: the sum of the arguments, in real time through the clock. */
export async function sleep(ctx: AppletContext): Promise<number> {
  const args = ctx.argv.slice(1);
  if (!args.length) {
    ctx.stderr.write(
      `${BANNER}\n\nUsage: sleep [N]...\n\nPause for a time equal to the total of the args given, where each arg can\nhave an optional suffix of (s)econds, (m)inutes, (h)ours, or (d)ays\n`,
    );
    return 1;
  }
  let total = 0;
  for (const a of args) {
    const m = /^([0-9]*\.?[0-9]+)([smhd]?)$/.exec(a);
    if (!m) {
      ctx.stderr.write(`sleep: invalid number '${a}'\n`);
      return 1;
    }
    total += Number(m[1]) * UNITS[m[2]!]!;
  }
  await sleepMs(ctx, Math.round(total * 1000));
  return 0;
}
