import { DEFAULT_PATH } from '../../engine/containers/process-args.js';
import { ProcessStartError } from '../../engine/errors.js';
import type { SimFs } from '../sim-fs.js';
import { SimFsError } from '../sim-fs.js';
import { APPLETS } from '../applets/registry.js';
import { runApplet } from '../applets/run-applet.js';
import { basename, resolvePath } from '../applets/util.js';
import type { AppletContext } from './context.js';
import { toText } from './streams.js';

export type Lookup = { kind: 'file'; path: string } | { kind: 'notfound' } | { kind: 'denied'; path: string };

/**
 * execvp(): a name with a slash is a path; otherwise the first entry of `path` (the
 * caller's PATH, `DEFAULT_PATH` when it has none) holding an executable file.
 */
export function lookupCommand(fs: SimFs, name: string, path: string | undefined, cwd: string): Lookup {
  if (name.includes('/')) return checkExecutable(fs, resolvePath(cwd, name)) ?? { kind: 'notfound' };
  let denied: Lookup | undefined;
  for (const dir of (path ?? DEFAULT_PATH).split(':')) {
    const p = resolvePath(cwd, `${dir || '.'}/${name}`);
    const r = checkExecutable(fs, p);
    if (r?.kind === 'file') return r;
    // execvp: EACCES on one entry is remembered but the search goes on.
    if (r) denied ??= r;
  }
  return denied ?? { kind: 'notfound' };
}

function checkExecutable(fs: SimFs, path: string): Lookup | undefined {
  let st;
  try {
    st = fs.stat(path);
  } catch (e) {
    if (e instanceof SimFsError) return undefined;
    throw e;
  }
  if (st.type !== 'file' || (st.mode & 0o111) === 0) return { kind: 'denied', path };
  return { kind: 'file', path };
}

type Program =
  | { kind: 'applet'; name: string }
  | { kind: 'script'; interpreter: string[] }
  | { kind: 'shell-script' }
  | { kind: 'unknown-applet'; name: string }
  | { kind: 'noexec' };

/**
 * What executing `path` runs. The simulator holds no bytes for the busybox binary, so a
 * file named for an applet (busybox's hard links) runs that applet, a `#!` file runs its
 * interpreter, and other text files are shell scripts when a shell runs them (ash's
 * ENOEXEC fallback) and an exec format error otherwise.
 */
export function identify(fs: SimFs, path: string, argv0: string): Program {
  const base = basename(path);
  if (base === 'busybox') return { kind: 'applet', name: 'busybox' };
  if (APPLETS[base]) return { kind: 'applet', name: base };
  let head: string;
  try {
    head = toText(fs.readFile(path).subarray(0, 256));
  } catch (e) {
    if (e instanceof SimFsError && e.code === 'EACCES') {
      // A copy of the busybox binary under another name: busybox dispatches on argv[0].
      const name = basename(argv0);
      return APPLETS[name] ? { kind: 'applet', name } : { kind: 'unknown-applet', name };
    }
    throw e;
  }
  if (head.startsWith('#!')) {
    const line = head.slice(2).split('\n')[0]!.trim();
    const sp = line.search(/\s/);
    return { kind: 'script', interpreter: sp < 0 ? [line] : [line.slice(0, sp), line.slice(sp).trim()] };
  }
  // Linux execve: ENOEXEC for a file without a known magic; ash then runs text files as scripts.
  const c = head.charCodeAt(0);
  const text = head.length === 0 || c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127);
  return text ? { kind: 'shell-script' } : { kind: 'noexec' };
}

/** Runs the program at `found.path` in `ctx`'s process; throws ProcessStartError where execve would fail. */
export async function runCommand(ctx: AppletContext, found: { path: string }, fromShell: boolean): Promise<number> {
  const prog = identify(ctx.container.fs, found.path, ctx.argv[0] ?? found.path);
  switch (prog.kind) {
    case 'applet':
      return runApplet(prog.name, ctx);
    case 'unknown-applet':
      ctx.stderr.write(`${prog.name}: applet not found\n`);
      return 127;
    case 'script': {
      const interp = prog.interpreter[0]!;
      const look = lookupCommand(ctx.container.fs, interp, '', ctx.cwd);
      if (look.kind !== 'file') {
        if (fromShell) {
          ctx.stderr.write(`sh: ${ctx.argv[0]}: not found\n`);
          return 127;
        }
        throw new ProcessStartError(`exec: "${ctx.argv[0]}": no such file or directory`, 127);
      }
      const argv = [...prog.interpreter, found.path, ...ctx.argv.slice(1)];
      return runCommand({ ...ctx, argv }, look, fromShell);
    }
    case 'shell-script':
      if (fromShell) return runApplet('sh', { ...ctx, argv: ['sh', found.path, ...ctx.argv.slice(1)] });
      throw new ProcessStartError(`exec: "${ctx.argv[0]}": exec format error`, 126);
    case 'noexec':
      if (fromShell) {
        ctx.stderr.write(`sh: ${ctx.argv[0]}: Exec format error\n`);
        return 126;
      }
      throw new ProcessStartError(`exec: "${ctx.argv[0]}": exec format error`, 126);
  }
}
