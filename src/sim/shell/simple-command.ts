import { runApplet } from '../applets/run-applet.js';
import { APPLETS } from '../applets/registry.js';
import { lookupCommand, runCommand } from '../process/exec.js';
import { spawnProcess } from '../process/fork.js';
import type { Command, Simple } from './ast.js';
import { BUILTINS, SPECIAL_BUILTINS } from './builtins.js';
import { ExitShell, ReturnFromFunction } from './control.js';
import { expandString, expandWords } from './expansion.js';
import type { Shell, ShellIO } from './interpreter.js';
import { waitForeground } from './jobs.js';
import { applyRedirs, closeRedirs } from './redirections.js';

/** A simple command, found as ash finds it: special builtin, function, builtin, applet, then PATH. */
export async function runSimple(sh: Shell, cmd: Simple, io: ShellIO, tail: boolean): Promise<number> {
  sh.currentLine = cmd.line - 1 + sh.lineBase;
  const argv = await expandWords(sh, cmd.words, io);
  const assigns: [string, string][] = [];
  for (const a of cmd.assigns) assigns.push([a.name, await expandString(sh, a.value, io)]);
  if (argv.length === 0) {
    for (const [k, v] of assigns) {
      if (sh.readonlyVars.has(k)) {
        io.stderr.write(`sh: ${k}: is read only\n`);
        throw new ExitShell(2);
      }
      sh.setVar(k, v);
    }
    const rio = await applyRedirs(sh, cmd.redirs, io);
    if (!rio) return (sh.status = 1);
    closeRedirs(rio, io);
    // POSIX: with no command name, the status is that of the last command substitution.
    return sh.status;
  }
  const name = argv[0]!;
  const rio = await applyRedirs(sh, cmd.redirs, io);
  if (!rio) return (sh.status = 1);
  try {
    const special = SPECIAL_BUILTINS[name];
    if (special) {
      for (const [k, v] of assigns) sh.setVar(k, v);
      return (sh.status = await special(sh, argv, rio));
    }
    const fn = sh.funcs.get(name);
    if (fn) return (sh.status = await callFunction(sh, fn, argv, assigns, rio));
    const builtin = BUILTINS[name];
    if (builtin) {
      const saved = assigns.map(([k]) => [k, sh.vars.get(k)] as const);
      for (const [k, v] of assigns) sh.vars.set(k, v);
      try {
        return (sh.status = await builtin(sh, argv, rio));
      } finally {
        for (const [k, v] of saved) {
          if (v === undefined) sh.vars.delete(k);
          else sh.vars.set(k, v);
        }
      }
    }
    return (sh.status = await runExternal(sh, argv, assigns, rio, tail));
  } finally {
    closeRedirs(rio, io);
  }
}

async function callFunction(sh: Shell, body: Command, argv: string[], assigns: [string, string][], io: ShellIO): Promise<number> {
  const savedArgs = sh.positional;
  sh.positional = argv.slice(1);
  for (const [k, v] of assigns) sh.setVar(k, v);
  try {
    return await sh.runCommand(body, io, false);
  } catch (e) {
    if (e instanceof ReturnFromFunction) return e.code;
    throw e;
  } finally {
    sh.positional = savedArgs;
  }
}

async function runExternal(sh: Shell, argv: string[], assigns: [string, string][], io: ShellIO, tail: boolean): Promise<number> {
  const name = argv[0]!;
  const env = sh.childEnv(assigns);
  // busybox ash (FEATURE_SH_STANDALONE): an applet name runs the applet, whatever PATH holds.
  if (!name.includes('/') && APPLETS[name]) {
    if (tail) {
      sh.ctx.proc.argv = argv;
      return runApplet(name, { ...sh.ctx, argv, env, cwd: sh.cwd, ...io });
    }
    const { done } = spawnProcess(sh.ctx, argv, (child) => runApplet(name, { ...child, env, cwd: sh.cwd, ...io }));
    return waitForeground(sh, done);
  }
  const found = lookupCommand(sh.fs, name, sh.vars.get('PATH'), sh.cwd);
  if (found.kind === 'notfound') {
    io.stderr.write(`sh: ${name}: not found\n`);
    return 127;
  }
  if (found.kind === 'denied') {
    io.stderr.write(`sh: ${name}: Permission denied\n`);
    return 126;
  }
  // ash: the last command of `sh -c` replaces the shell (exec) instead of forking, when no trap is set.
  if (tail) {
    sh.ctx.proc.argv = argv;
    return runCommand({ ...sh.ctx, argv, env, cwd: sh.cwd, ...io }, found, true);
  }
  const { done } = spawnProcess(sh.ctx, argv, (child) => runCommand({ ...child, env, cwd: sh.cwd, ...io }, found, true));
  return waitForeground(sh, done);
}
