import { SIGNALS, signalNumber } from '../process/process-table.js';
import type { AppletContext } from '../process/context.js';

/** kill [-s SIG | -SIG] PID…, kill -l [N]: signals go through the container's process table. */
export async function kill(ctx: AppletContext): Promise<number> {
  const args = ctx.argv.slice(1);
  let signo = 15;
  if (args[0] === '-l') {
    if (args[1]) {
      const n = signalNumber(args[1]);
      if (n === undefined) {
        ctx.stderr.write(`kill: bad signal name '${args[1]}'\n`);
        return 1;
      }
      ctx.stdout.write(/^[0-9]+$/.test(args[1]) ? `${SIGNALS[n]}\n` : `${n}\n`);
      return 0;
    }
    let out = '';
    for (let i = 1; i < SIGNALS.length; i++) out += `${String(i).padStart(2)}) ${SIGNALS[i]}\n`;
    ctx.stdout.write(out);
    return 0;
  }
  if (args[0] === '-s' || args[0] === '-n') {
    args.shift();
    const name = args.shift() ?? '';
    const n = signalNumber(name);
    if (n === undefined) {
      ctx.stderr.write(`kill: bad signal name '${name}'\n`);
      return 1;
    }
    signo = n;
  } else if (args[0]?.startsWith('-') && args[0] !== '--') {
    const name = args.shift()!.slice(1);
    const n = signalNumber(name);
    if (n === undefined) {
      ctx.stderr.write(`kill: bad signal name '${name}'\n`);
      return 1;
    }
    signo = n;
  }
  if (args[0] === '--') args.shift();
  if (!args.length) {
    ctx.stderr.write('kill: usage: kill [-s SIGNAL | -SIGNAL] PID...\n');
    return 1;
  }
  let status = 0;
  for (const a of args) {
    const pid = /^[0-9]+$/.test(a) ? Number(a) : NaN;
    const p = Number.isNaN(pid) ? undefined : ctx.container.processes.get(pid);
    if (Number.isNaN(pid)) {
      ctx.stderr.write(`kill: invalid number '${a}'\n`);
      status = 1;
    } else if (!p) {
      ctx.stderr.write(`kill: can't kill pid ${a}: No such process\n`);
      status = 1;
    } else p.deliver(signo);
  }
  return status;
}
