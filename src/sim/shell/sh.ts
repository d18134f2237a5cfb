import { SimFsError } from '../sim-fs.js';
import { Killed } from '../process/process-table.js';
import type { AppletContext } from '../process/context.js';
import { BB_BANNER, resolvePath } from '../applets/util.js';
import { ExitShell, ShellError } from './control.js';
import { Shell, type ShellIO } from './interpreter.js';
import { ShSyntaxError, parse } from './parser.js';
import { runExitTrap } from './traps.js';

/** The `sh`/`ash` applet: `sh -c CMD [NAME [ARGS…]]`, `sh SCRIPT [ARGS…]`, or commands from stdin. */
export async function sh(ctx: AppletContext): Promise<number> {
  const args = ctx.argv.slice(1);
  let command: string | undefined;
  let script: string | undefined;
  let flags = '';
  while (args[0]?.startsWith('-') && args[0] !== '-' && args[0] !== '--') {
    const a = args.shift()!;
    if (a.includes('c')) {
      command = args.shift();
      if (command === undefined) {
        ctx.stderr.write('sh: -c requires an argument\n');
        return 2;
      }
    }
    flags += a.slice(1).replace('c', '');
  }
  if (args[0] === '--') args.shift();
  const io: ShellIO = { stdin: ctx.stdin, stdout: ctx.stdout, stderr: ctx.stderr };
  let shell: Shell;
  if (command !== undefined) {
    shell = new Shell(ctx, args[0] ?? 'sh', args.slice(1), 0);
  } else if (args.length) {
    script = args[0]!;
    shell = new Shell(ctx, script, args.slice(1), 1);
  } else shell = new Shell(ctx, ctx.argv[0] ?? 'sh', [], 1);
  if (flags.includes('e')) shell.errexit = true;

  let status: number;
  try {
    if (command !== undefined) status = await shell.runScript(command, io, true);
    else if (script !== undefined) {
      let text: string;
      try {
        text = new TextDecoder().decode(ctx.container.fs.readFile(resolvePath(ctx.cwd, script)));
      } catch (e) {
        if (!(e instanceof SimFsError)) throw e;
        ctx.stderr.write(`sh: can't open '${script}': ${e.text}\n`);
        return 2;
      }
      status = await shell.runScript(text, io);
    } else status = await interactive(shell, io);
  } catch (e) {
    status = topLevelStatus(e, io);
  }
  try {
    await runExitTrap(shell, io);
  } catch (e) {
    status = topLevelStatus(e, io);
  }
  return status;
}

function topLevelStatus(e: unknown, io: ShellIO): number {
  if (e instanceof ExitShell) return e.code;
  if (e instanceof ShellError) {
    io.stderr.write(`sh: ${e.message}\n`);
    return 2;
  }
  if (e instanceof Killed) throw e;
  throw e;
}

const SIGINT = 2;
const INTERRUPTED = Symbol('interrupted');

/**
 * Commands from stdin, one complete command at a time. On a terminal ash is interactive:
 * it greets with its banner, prints its prompt (`/ # ` for root, PS1's default `\w \$ `),
 * and catches SIGINT — ^C at the prompt drops the line, sets `$?` to 130 and prompts again
 * (ash `preadfd`: "^C pressed, convert to SIGINT", exitstatus = 128 + SIGINT). The pty's line
 * discipline echoes what is typed (`tty-input.ts`), not the shell.
 */
async function interactive(shell: Shell, io: ShellIO): Promise<number> {
  const tty = io.stdout.isTTY;
  const prompt = () => `${shell.cwd} ${shell.ctx.uid === 0 ? '#' : '$'} `;
  // busybox 1.35 ash_main, interactive: the banner unless built with FEATURE_SH_EXTRA_QUIET (Debian's is not).
  if (tty) io.stdout.write(`\n\n${BB_BANNER} built-in shell (ash)\nEnter 'help' for a list of built-in commands.\n\n`);
  let interrupted: (() => void) | undefined;
  if (tty && !shell.ctx.proc.handlers.has(SIGINT)) shell.ctx.proc.handlers.set(SIGINT, () => interrupted?.());
  let buffer = '';
  let line = 0;
  // A read cut short by ^C stays pending: the next prompt's read is the same one.
  let reading: Promise<string | null> | undefined;
  for (;;) {
    if (tty) io.stdout.write(buffer ? '> ' : prompt());
    reading ??= io.stdin.readLine();
    const atPrompt = new Promise<typeof INTERRUPTED>((resolve) => (interrupted = () => resolve(INTERRUPTED)));
    const text = await Promise.race([reading, atPrompt]);
    interrupted = undefined;
    if (text === INTERRUPTED) {
      shell.status = 128 + SIGINT;
      buffer = '';
      continue;
    }
    reading = undefined;
    if (text === null) {
      if (buffer) {
        io.stderr.write('sh: syntax error: unexpected end of file\n');
        return 2;
      }
      return shell.status;
    }
    buffer += text + '\n';
    line++;
    try {
      parse(buffer);
    } catch (e) {
      if (e instanceof ShSyntaxError && /end of file|unterminated/.test(e.message)) continue;
    }
    const src = buffer;
    buffer = '';
    shell.lineBase = line - src.split('\n').length + 2;
    try {
      await shell.runScript(src, io);
    } catch (e) {
      if (e instanceof ExitShell) return e.code;
      if (e instanceof ShellError) {
        io.stderr.write(`sh: ${e.message}\n`);
        shell.status = 2;
        if (!tty) return 2;
      } else throw e;
    }
  }
}
