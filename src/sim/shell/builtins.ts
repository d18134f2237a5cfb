import { SimFsError } from '../sim-fs.js';
import { SIGNALS, signalDescription, signalNumber } from '../process/process-table.js';
import { runApplet } from '../applets/run-applet.js';
import { APPLETS } from '../applets/registry.js';
import { resolvePath } from '../applets/util.js';
import { ExitShell, LoopControl, ReturnFromFunction } from './control.js';
import { arith } from './expansion.js';
import type { Shell, ShellIO } from './interpreter.js';
import { parse } from './parser.js';
import { setTrap, signalArrived } from './traps.js';

export type Builtin = (sh: Shell, argv: string[], io: ShellIO) => Promise<number>;

/** ash's message for a failing builtin: `sh: cd: line 0: can't cd to /x: …`. */
function fail(sh: Shell, io: ShellIO, name: string, msg: string): void {
  io.stderr.write(`sh: ${name}: line ${sh.currentLine}: ${msg}\n`);
}

function parseNumber(sh: Shell, io: ShellIO, name: string, arg: string | undefined, dflt: number): number {
  if (arg === undefined) return dflt;
  if (!/^[0-9]+$/.test(arg)) {
    fail(sh, io, name, `Illegal number: ${arg}`);
    throw new ExitShell(2);
  }
  return Number(arg);
}

/** Applets that ash runs inside the shell process (its NOFORK builtins). */
function appletBuiltin(name: string): Builtin {
  return (sh, argv, io) => runApplet(name, { ...sh.ctx, argv, env: sh.childEnv(), cwd: sh.cwd, ...io });
}

const loopControl =
  (kind: 'break' | 'continue'): Builtin =>
  async (sh, argv, io) => {
    const n = parseNumber(sh, io, kind, argv[1], 1);
    throw new LoopControl(kind, n);
  };

/** POSIX special builtins: errors in them exit a non-interactive shell, assignments persist. */
export const SPECIAL_BUILTINS: Record<string, Builtin> = {
  ':': async () => 0,
  true: async () => 0,
  false: async () => 1,
  break: loopControl('break'),
  continue: loopControl('continue'),
  exit: async (sh, argv, io) => {
    const code = parseNumber(sh, io, 'exit', argv[1], sh.status);
    throw new ExitShell(code & 0xff);
  },
  return: async (sh, argv, io) => {
    throw new ReturnFromFunction(parseNumber(sh, io, 'return', argv[1], sh.status) & 0xff);
  },
  export: async (sh, argv, io) => {
    if (argv.length === 1 || argv[1] === '-p') {
      for (const k of [...sh.exported].sort()) {
        const v = sh.vars.get(k);
        io.stdout.write(v === undefined ? `export ${k}\n` : `export ${k}=${quote(v)}\n`);
      }
      return 0;
    }
    for (const a of argv.slice(1)) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a : a.slice(0, eq);
      if (eq >= 0) sh.setVar(name, a.slice(eq + 1));
      sh.exported.add(name);
    }
    return 0;
  },
  readonly: async (sh, argv) => {
    for (const a of argv.slice(1)) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a : a.slice(0, eq);
      if (eq >= 0) sh.setVar(name, a.slice(eq + 1));
      sh.readonlyVars.add(name);
    }
    return 0;
  },
  unset: async (sh, argv, io) => {
    const fn = argv[1] === '-f';
    for (const a of argv.slice(1)) {
      if (a === '-f' || a === '-v') continue;
      if (fn) sh.funcs.delete(a);
      else {
        if (sh.readonlyVars.has(a)) {
          fail(sh, io, 'unset', `${a}: is read only`);
          return 1;
        }
        sh.vars.delete(a);
        sh.exported.delete(a);
      }
    }
    return 0;
  },
  set: async (sh, argv, io) => {
    if (argv.length === 1) {
      for (const k of [...sh.vars.keys()].sort()) io.stdout.write(`${k}=${quote(sh.vars.get(k)!)}\n`);
      return 0;
    }
    let i = 1;
    for (; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === '--') {
        i++;
        sh.positional = argv.slice(i);
        return 0;
      }
      if (/^[-+][a-z]+$/.test(a)) {
        if (a.includes('e')) sh.errexit = a[0] === '-';
        continue;
      }
      break;
    }
    if (i < argv.length) sh.positional = argv.slice(i);
    return 0;
  },
  shift: async (sh, argv, io) => {
    const n = parseNumber(sh, io, 'shift', argv[1], 1);
    if (n > sh.positional.length) return 1;
    sh.positional = sh.positional.slice(n);
    return 0;
  },
  eval: async (sh, argv, io) => sh.runScript(argv.slice(1).join(' '), io),
  '.': async (sh, argv, io) => {
    const file = argv[1];
    if (!file) return 0;
    const path = resolvePath(sh.cwd, file);
    let text: string;
    try {
      text = new TextDecoder().decode(sh.fs.readFile(path));
    } catch (e) {
      if (!(e instanceof SimFsError)) throw e;
      fail(sh, io, '.', `can't open '${file}'`);
      throw new ExitShell(2);
    }
    return sh.runList(parse(text), io);
  },
  exec: async (sh, argv, io) => {
    if (argv.length === 1) return 0;
    const status = await sh.runCommand(
      {
        type: 'simple',
        line: sh.currentLine + 1,
        assigns: [],
        words: argv.slice(1).map((a) => ({ parts: [{ t: 'lit', v: a, quoted: true }], raw: a })),
        redirs: [],
      },
      io,
      true,
    );
    throw new ExitShell(status);
  },
  trap: async (sh, argv, io) => {
    if (argv.length === 1) {
      const entries = [...sh.traps.entries()].sort((a, b) => a[0] - b[0]);
      for (const [signo, action] of entries) io.stdout.write(`trap -- ${quote(action)} ${signo === 0 ? 'EXIT' : SIGNALS[signo]}\n`);
      return 0;
    }
    let action: string | undefined = argv[1];
    let sigs = argv.slice(2);
    // POSIX: a first operand that is a signal number alone resets those signals.
    if (/^[0-9]+$/.test(action!) && sigs.length === 0) {
      sigs = [action!];
      action = undefined;
    }
    if (action === '-') action = undefined;
    let status = 0;
    for (const s of sigs) {
      const signo = s === 'EXIT' || s === '0' ? 0 : signalNumber(s);
      if (signo === undefined) {
        fail(sh, io, 'trap', `${s}: bad trap`);
        status = 1;
        continue;
      }
      setTrap(sh, signo, action);
    }
    return status;
  },
  times: async (_sh, _argv, io) => {
    io.stdout.write('0m0.000000s 0m0.000000s\n0m0.000000s 0m0.000000s\n');
    return 0;
  },
};

export const BUILTINS: Record<string, Builtin> = {
  echo: appletBuiltin('echo'),
  printf: appletBuiltin('printf'),
  test: appletBuiltin('test'),
  '[': appletBuiltin('['),
  '[[': appletBuiltin('['),
  kill: appletBuiltin('kill'),
  cd: async (sh, argv, io) => {
    let target = argv[1];
    let print = false;
    if (target === undefined) target = sh.vars.get('HOME') ?? '/';
    else if (target === '-') {
      target = sh.vars.get('OLDPWD') ?? sh.cwd;
      print = true;
    }
    const path = resolvePath(sh.cwd, target);
    try {
      const st = sh.fs.stat(path);
      if (st.type !== 'dir') throw new SimFsError('ENOTDIR', path);
    } catch (e) {
      if (!(e instanceof SimFsError)) throw e;
      fail(sh, io, 'cd', `can't cd to ${target}: ${e.text}`);
      return 2;
    }
    sh.vars.set('OLDPWD', sh.cwd);
    sh.cwd = path;
    sh.vars.set('PWD', path);
    if (print) io.stdout.write(`${path}\n`);
    return 0;
  },
  pwd: async (sh, _argv, io) => {
    io.stdout.write(`${sh.cwd}\n`);
    return 0;
  },
  read: async (sh, argv, io) => {
    const args = argv.slice(1);
    let raw = false;
    while (args[0]?.startsWith('-')) {
      const a = args.shift()!;
      if (a === '-r') raw = true;
      else if (a === '-p') io.stderr.write(args.shift() ?? '');
    }
    let line = await io.stdin.readLine();
    const names = args.length ? args : ['REPLY'];
    const eof = line === null;
    line ??= '';
    if (!raw) line = line.replace(/\\(.)/g, '$1');
    const ifs = sh.vars.get('IFS') ?? ' \t\n';
    let rest = line.replace(new RegExp(`^[${escapeClass(ifs)}]+`), '');
    names.forEach((name, i) => {
      if (i === names.length - 1) {
        sh.setVar(name, rest.replace(new RegExp(`[${escapeClass(ifs)}]+$`), ''));
        return;
      }
      const m = new RegExp(`^([^${escapeClass(ifs)}]*)[${escapeClass(ifs)}]*`).exec(rest)!;
      sh.setVar(name, m[1]!);
      rest = rest.slice(m[0].length);
    });
    return eof ? 1 : 0;
  },
  wait: async (sh, argv, io) => {
    const pids = argv.slice(1);
    // POSIX: a trapped signal interrupts `wait`, which returns 128 + its number.
    const interrupted = signalArrived(sh).then(() => 'signal' as const);
    if (!pids.length) {
      const jobs = [...sh.jobs.values()];
      const r = await Promise.race([Promise.all(jobs.map((j) => j.done)), interrupted]);
      if (r === 'signal') return 128 + (sh.pending[0] ?? 0);
      for (const job of jobs) job.reaped = true;
      return 0;
    }
    let status = 0;
    for (const pid of pids) {
      const job = /^[0-9]+$/.test(pid) ? sh.jobs.get(Number(pid)) : undefined;
      if (!job) {
        status = 127;
        continue;
      }
      const r = await Promise.race([job.done, interrupted]);
      if (r === 'signal') return 128 + (sh.pending[0] ?? 0);
      // ash (dowait for this job): a job it reaps now that a signal killed is reported
      // with strsignal's words, except SIGINT and SIGPIPE.
      if (!job.reaped && job.signo !== undefined && job.signo !== 2 && job.signo !== 13) io.stderr.write(`${signalDescription(job.signo)}\n`);
      job.reaped = true;
      status = r;
    }
    return status;
  },
  type: async (sh, argv, io) => {
    let status = 0;
    for (const name of argv.slice(1)) {
      if (SPECIAL_BUILTINS[name]) io.stdout.write(`${name} is a special shell builtin\n`);
      else if (sh.funcs.has(name)) io.stdout.write(`${name} is a function\n`);
      else if (BUILTINS[name]) io.stdout.write(`${name} is a shell builtin\n`);
      else if (APPLETS[name]) io.stdout.write(`${name} is ${name}\n`);
      else {
        io.stdout.write(`${name}: not found\n`);
        status = 127;
      }
    }
    return status;
  },
  command: async (sh, argv, io) => {
    if (argv[1] === '-v') {
      const name = argv[2];
      if (!name) return 1;
      if (SPECIAL_BUILTINS[name] || BUILTINS[name] || sh.funcs.has(name) || APPLETS[name]) {
        io.stdout.write(`${name}\n`);
        return 0;
      }
      return 127;
    }
    const rest = argv.slice(1);
    if (!rest.length) return 0;
    return sh.runCommand(
      {
        type: 'simple',
        line: sh.currentLine + 1,
        assigns: [],
        words: rest.map((a) => ({ parts: [{ t: 'lit', v: a, quoted: true }], raw: a })),
        redirs: [],
      },
      io,
      false,
    );
  },
  local: async (sh, argv) => {
    for (const a of argv.slice(1)) {
      const eq = a.indexOf('=');
      if (eq >= 0) sh.setVar(a.slice(0, eq), a.slice(eq + 1));
      else if (!sh.vars.has(a)) sh.setVar(a, '');
    }
    return 0;
  },
  umask: async (_sh, argv, io) => {
    if (argv.length === 1) io.stdout.write('0022\n');
    return 0;
  },
  let: async (sh, argv) => {
    let v = 0;
    for (const e of argv.slice(1)) v = arith(sh, e);
    return v === 0 ? 1 : 0;
  },
};

function quote(v: string): string {
  return `'${v.replace(/'/g, `'"'"'`)}'`;
}

function escapeClass(s: string): string {
  return s.replace(/[\\\]^-]/g, (c) => `\\${c}`);
}
