import { SimFsError } from '../sim-fs.js';
import type { AppletContext } from '../process/context.js';
import { badOption, getopt, resolvePath } from './util.js';

/** cat [-n] [FILE]…: `-` or no file is stdin. */
export async function cat(ctx: AppletContext): Promise<number> {
  const o = getopt(ctx.argv.slice(1), 'nbvteA');
  if (o.bad) return badOption(ctx, 'cat', o.bad, '[-nbvteA] [FILE]...');
  const files = o.args.length ? o.args : ['-'];
  let status = 0;
  let lineNo = 0;
  for (const f of files) {
    let data: Uint8Array;
    if (f === '-' && !o.flags.has('n')) {
      // As it reads: on a terminal each line shows once it is typed, not at end of file.
      for (let chunk = await ctx.stdin.read(); chunk; chunk = await ctx.stdin.read()) ctx.stdout.write(chunk);
      continue;
    }
    if (f === '-') data = await ctx.stdin.readAll();
    else {
      try {
        const p = resolvePath(ctx.cwd, f);
        if (ctx.container.fs.stat(p).type === 'dir') throw new SimFsError('EISDIR', p);
        data = ctx.container.fs.readFile(p);
      } catch (e) {
        if (!(e instanceof SimFsError)) throw e;
        ctx.stderr.write(e.code === 'EISDIR' ? `cat: read error: Is a directory\n` : `cat: can't open '${f}': ${e.text}\n`);
        status = 1;
        continue;
      }
    }
    if (o.flags.has('n')) {
      const text = new TextDecoder().decode(data);
      const lines = text.split('\n');
      const last = lines.pop();
      let out = lines.map((l) => `${String(++lineNo).padStart(6)}\t${l}\n`).join('');
      if (last) out += `${String(++lineNo).padStart(6)}\t${last}`;
      ctx.stdout.write(out);
    } else ctx.stdout.write(data);
  }
  return status;
}
