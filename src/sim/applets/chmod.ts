import { SimFsError } from '../sim-fs.js';
import type { AppletContext } from '../process/context.js';
import { resolvePath } from './util.js';

/** chmod [-R] MODE FILE…: octal, or symbolic `[ugoa]*[-+=][rwxXst]*` clauses. */
export async function chmod(ctx: AppletContext): Promise<number> {
  const args = ctx.argv.slice(1);
  let recursive = false;
  if (args[0] === '-R') {
    recursive = true;
    args.shift();
  }
  const [modeArg, ...files] = args;
  if (!modeArg || !files.length) {
    ctx.stderr.write('chmod: missing operand\n');
    return 1;
  }
  const fs = ctx.container.fs;
  let status = 0;
  const apply = (p: string, shown: string) => {
    try {
      const st = fs.stat(p);
      const mode = computeMode(modeArg, st.mode, st.type === 'dir');
      if (mode === undefined) {
        ctx.stderr.write(`chmod: invalid mode '${modeArg}'\n`);
        status = 1;
        return;
      }
      fs.chmod(p, mode);
      if (recursive && st.type === 'dir') for (const n of fs.readdir(p)) apply(`${p}/${n}`, `${shown}/${n}`);
    } catch (e) {
      if (!(e instanceof SimFsError)) throw e;
      ctx.stderr.write(`chmod: ${shown}: ${e.text}\n`);
      status = 1;
    }
  };
  for (const f of files) apply(resolvePath(ctx.cwd, f), f);
  return status;
}

export function computeMode(spec: string, current: number, isDir: boolean): number | undefined {
  if (/^[0-7]+$/.test(spec)) return parseInt(spec, 8) & 0o7777;
  let mode = current;
  for (const clause of spec.split(',')) {
    const m = /^([ugoa]*)([-+=])([rwxXst]*)$/.exec(clause);
    if (!m) return undefined;
    const who = m[1] || 'a';
    let bits = 0;
    for (const c of m[3]!) {
      const w = (u: number, g: number, o: number) =>
        (who.includes('u') || who.includes('a') ? u : 0) |
        (who.includes('g') || who.includes('a') ? g : 0) |
        (who.includes('o') || who.includes('a') ? o : 0);
      if (c === 'r') bits |= w(0o400, 0o040, 0o004);
      if (c === 'w') bits |= w(0o200, 0o020, 0o002);
      if (c === 'x' || (c === 'X' && (isDir || current & 0o111))) bits |= w(0o100, 0o010, 0o001);
      if (c === 's') bits |= w(0o4000, 0o2000, 0);
      if (c === 't') bits |= 0o1000;
    }
    if (m[2] === '+') mode |= bits;
    else if (m[2] === '-') mode &= ~bits;
    else {
      const mask =
        (who.includes('u') || who.includes('a') ? 0o4700 : 0) |
        (who.includes('g') || who.includes('a') ? 0o2070 : 0) |
        (who.includes('o') || who.includes('a') ? 0o1007 : 0);
      mode = (mode & ~mask) | bits;
    }
  }
  return mode & 0o7777;
}
