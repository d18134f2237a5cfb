import { SimFsError } from '../sim-fs.js';
import type { AppletContext } from '../process/context.js';
import { toText as toTextSafe } from '../process/streams.js';
import { resolvePath } from './util.js';

/** The inputs of a text filter: named files (or `-`/none for stdin), each read whole. */
export async function* inputs(
  ctx: AppletContext,
  files: string[],
  name: string,
): AsyncGenerator<{ name: string; text: string } | { name: string; error: string }> {
  if (!files.length) files = ['-'];
  for (const f of files) {
    if (f === '-') {
      yield { name: f, text: toTextSafe(await ctx.stdin.readAll()) };
      continue;
    }
    try {
      const p = resolvePath(ctx.cwd, f);
      if (ctx.container.fs.stat(p).type === 'dir') throw new SimFsError('EISDIR', p);
      yield { name: f, text: toTextSafe(ctx.container.fs.readFile(p)) };
    } catch (e) {
      if (!(e instanceof SimFsError)) throw e;
      yield { name: f, error: e.code === 'EISDIR' ? `${name}: read error: Is a directory` : `${name}: can't open '${f}': ${e.text}` };
    }
  }
}

/** Lines of a text, without the trailing empty piece after a final newline. */
export function lines(text: string): string[] {
  const ls = text.split('\n');
  if (ls[ls.length - 1] === '') ls.pop();
  return ls;
}
