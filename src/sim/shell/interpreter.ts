import { SimFsError, type SimFs } from '../sim-fs.js';
import { Killed, SIGNALS } from '../process/process-table.js';
import { BufferOutput, Input, nullOutput, toText, type Output } from '../process/streams.js';
import { BrokenPipe, Pipe } from '../process/pipe.js';
import { resolvePath } from '../applets/util.js';
import type { AppletContext } from '../process/context.js';
import { lookupCommand, runCommand } from '../process/exec.js';
import { spawnProcess } from '../process/fork.js';
import { runApplet } from '../applets/run-applet.js';
import { APPLETS } from '../applets/registry.js';
import type { AndOr, Command, List, Part, Pipeline, Redir, Simple, Word } from './ast.js';
import { evalArith } from './arith.js';
import { hasGlob, matchPattern, patternToRegExp } from './pattern.js';
import { parse, ShSyntaxError } from './parser.js';
import { BUILTINS, SPECIAL_BUILTINS } from './builtins.js';

export interface ShellIO {
  stdin: Input;
  stdout: Output;
  stderr: Output;
}

/** `exit`, or a fatal error of a non-interactive shell. */
export class ExitShell {
  constructor(readonly code: number) {}
}
export class LoopControl {
  constructor(
    readonly kind: 'break' | 'continue',
    public n: number,
  ) {}
}
export class ReturnFromFunction {
  constructor(readonly code: number) {}
}

/** A `&` job: its process's end, status and killing signal once known, and whether the
 * shell has reaped it (waitpid) — ash reports a signal death only when `wait` reaps it. */
export interface Job {
  readonly done: Promise<number>;
  status?: number;
  signo?: number;
  reaped: boolean;
}

interface Field {
  text: string;
  pattern: string;
  glob: boolean;
  /** A quoted part was seen: the field survives even when empty (`""`). */
  keep: boolean;
}

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** One busybox-ash interpreter state: variables, functions, positional parameters, traps. */
export class Shell {
  vars = new Map<string, string>();
  exported = new Set<string>();
  readonlyVars = new Set<string>();
  funcs = new Map<string, Command>();
  positional: string[];
  status = 0;
  lastBgPid: number | undefined;
  cwd: string;
  /** Trap actions by signal number; 0 is EXIT. */
  traps = new Map<number, string>();
  pending: number[] = [];
  /** Background jobs by PID. ash keeps a job after it ends, so `wait PID` still gives its status. */
  jobs = new Map<number, Job>();
  /** Line numbers: ash counts from 0 in `-c` strings, from 1 in scripts and stdin. */
  lineBase: number;
  currentLine = 0;
  private signalWaiters: (() => void)[] = [];
  private errexit = false;

  constructor(
    readonly ctx: AppletContext,
    readonly arg0: string,
    args: string[],
    lineBase = 0,
  ) {
    this.positional = args;
    this.cwd = ctx.cwd;
    this.lineBase = lineBase;
    for (const [k, v] of ctx.env) {
      this.vars.set(k, v);
      this.exported.add(k);
    }
    if (!this.vars.has('PWD')) this.vars.set('PWD', this.cwd);
    this.vars.set('PPID', String(ctx.proc.ppid));
    if (!this.vars.has('IFS')) this.vars.set('IFS', ' \t\n');
  }

  /** A subshell: a copy of the state; changes do not flow back. */
  clone(): Shell {
    const s = Object.create(Shell.prototype) as Shell;
    Object.assign(s, this);
    s.vars = new Map(this.vars);
    s.exported = new Set(this.exported);
    s.readonlyVars = new Set(this.readonlyVars);
    s.funcs = new Map(this.funcs);
    s.positional = [...this.positional];
    s.traps = new Map();
    s.pending = [];
    s.jobs = new Map();
    s.signalWaiters = [];
    return s;
  }

  /** fork(): a subshell running as the process `child` (a `&` job, a pipeline member). */
  fork(child: AppletContext): Shell {
    const s = this.clone();
    (s as { ctx: AppletContext }).ctx = child;
    return s;
  }

  get fs() {
    return this.ctx.container.fs;
  }

  errorPrefix(): string {
    return 'sh: ';
  }

  /** Parses and runs a script; syntax errors print as ash prints them and give 2. */
  async runScript(src: string, io: ShellIO, tail = false): Promise<number> {
    let list: List;
    try {
      list = parse(src);
    } catch (e) {
      if (e instanceof ShSyntaxError) {
        io.stderr.write(`sh: ${e.message}\n`);
        this.status = 2;
        return 2;
      }
      throw e;
    }
    return this.runList(list, io, tail);
  }

  // ---- signals ------------------------------------------------------------

  /** `trap`: installs the action in the process, so the runtime's signals reach it. */
  setTrap(signo: number, action: string | undefined): void {
    if (action === undefined) {
      this.traps.delete(signo);
      this.ctx.proc.handlers.delete(signo);
      return;
    }
    this.traps.set(signo, action);
    if (signo === 0) return;
    this.ctx.proc.handlers.set(signo, (s) => {
      // ash: a trapped signal runs its action once the foreground command has finished.
      if (action !== '') this.pending.push(s);
      const w = this.signalWaiters;
      this.signalWaiters = [];
      for (const f of w) f();
    });
  }

  /** Resolves when a trapped signal arrives (the `wait` builtin returns early then). */
  signalArrived(): Promise<void> {
    return new Promise((r) => this.signalWaiters.push(r));
  }

  async runTraps(io: ShellIO): Promise<void> {
    while (this.pending.length) {
      const signo = this.pending.shift()!;
      const action = this.traps.get(signo);
      if (!action) continue;
      const saved = this.status;
      await this.runScript(action, io);
      this.status = saved;
    }
  }

  async runExitTrap(io: ShellIO): Promise<void> {
    const action = this.traps.get(0);
    if (action === undefined) return;
    this.traps.delete(0);
    await this.runScript(action, io);
  }

  private checkpoint(): Promise<void> | void {
    this.ctx.signal.throwIfAborted();
    return this.ctx.container.freezer.thaw();
  }

  // ---- lists and pipelines --------------------------------------------------

  async runList(list: List, io: ShellIO, tail = false): Promise<number> {
    const items = list.items;
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      const frozen = this.checkpoint();
      if (frozen) await frozen;
      if (item.background) {
        this.startBackground(item.cmd, io);
        this.status = 0;
      } else {
        await this.runAndOr(item.cmd, io, tail && i === items.length - 1 && this.traps.size === 0);
      }
      if (this.pending.length) await this.runTraps(io);
    }
    return this.status;
  }

  private startBackground(cmd: AndOr, io: ShellIO): void {
    // POSIX: a background job's stdin is /dev/null.
    const bgio = { ...io, stdin: Input.empty() };
    const { proc, done } = spawnProcess(this.ctx, ['sh'], async (child) => {
      const sub = this.fork(child);
      return sub.runAndOr(cmd, bgio, true).catch((e) => sub.exitStatusOf(e, bgio));
    });
    this.lastBgPid = proc.pid;
    const job: Job = { done, reaped: false };
    this.jobs.set(proc.pid, job);
    void done.then((status) => {
      job.status = status;
      if (proc.signal.reason instanceof Killed) job.signo = proc.signal.reason.signo;
    });
  }

  /** ash's dowait() while it waits for a foreground child reaps every child that has
   * ended, silently: a later `wait` for such a job prints no signal message. */
  private reapEnded(): void {
    for (const job of this.jobs.values()) if (job.status !== undefined) job.reaped = true;
  }

  /** Awaits a foreground child, reaping the jobs that ended meanwhile. */
  private async waitForeground<T>(p: Promise<T>): Promise<T> {
    try {
      return await this.raceKill(p);
    } finally {
      this.reapEnded();
    }
  }

  private async runAndOr(node: AndOr, io: ShellIO, tail: boolean): Promise<number> {
    let status = await this.runPipeline(node.first, io, tail && node.rest.length === 0);
    for (let i = 0; i < node.rest.length; i++) {
      const { op, p } = node.rest[i]!;
      if ((op === '&&') !== (status === 0)) continue;
      status = await this.runPipeline(p, io, tail && i === node.rest.length - 1);
    }
    return status;
  }

  private async runPipeline(p: Pipeline, io: ShellIO, tail: boolean): Promise<number> {
    let status: number;
    if (p.cmds.length === 1) {
      status = await this.runCommand(p.cmds[0]!, io, tail && !p.bang);
    } else {
      const runs: Promise<number>[] = [];
      let stdin = io.stdin;
      for (let i = 0; i < p.cmds.length; i++) {
        const last = i === p.cmds.length - 1;
        const pipe = last ? undefined : new Pipe();
        const stage: ShellIO = { stdin, stdout: pipe ? pipe.writer : io.stdout, stderr: io.stderr };
        const cmd = p.cmds[i]!;
        const input = stdin;
        // ash forks every member of a pipeline; a simple command then execs in that process.
        const { done } = spawnProcess(this.ctx, ['sh'], async (child) => {
          const sub = this.fork(child);
          try {
            return await sub.runCommand(cmd, stage, true);
          } catch (e) {
            return sub.exitStatusOf(e, stage);
          } finally {
            pipe?.writer.close();
            if (input !== io.stdin) input.close();
          }
        });
        runs.push(done);
        if (pipe) stdin = pipe.reader;
      }
      const statuses = await this.waitForeground(Promise.all(runs));
      status = statuses[statuses.length - 1]!;
    }
    if (p.bang) status = status === 0 ? 1 : 0;
    this.status = status;
    if (this.errexit && status !== 0 && !p.bang) throw new ExitShell(status);
    return status;
  }

  /** The status a subshell ends with for an exception (exit, a signal, a broken pipe). */
  exitStatusOf(e: unknown, io: ShellIO): number {
    if (e instanceof ExitShell) return e.code;
    if (e instanceof Killed) return 128 + e.signo;
    if (e instanceof BrokenPipe) return 141;
    if (e instanceof LoopControl) return this.status;
    if (e instanceof ReturnFromFunction) return e.code;
    if (this.ctx.signal.aborted && this.ctx.signal.reason instanceof Killed) return 128 + this.ctx.signal.reason.signo;
    io.stderr.write(`sh: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }

  /** Awaits `p`, but stops waiting when this shell's process is killed. */
  private raceKill<T>(p: Promise<T>): Promise<T> {
    const signal = this.ctx.signal;
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      p.then(
        (v) => {
          signal.removeEventListener('abort', onAbort);
          resolve(v);
        },
        (e) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      );
    });
  }

  // ---- commands ---------------------------------------------------------------

  async runCommand(cmd: Command, io: ShellIO, tail: boolean): Promise<number> {
    if (cmd.type === 'simple') return this.runSimple(cmd, io, tail);
    if (cmd.type === 'func') {
      this.funcs.set(cmd.name, cmd.body);
      this.status = 0;
      return 0;
    }
    const rio = await this.applyRedirs(cmd.redirs, io);
    if (!rio) return (this.status = 1);
    try {
      return (this.status = await this.runCompound(cmd, rio, tail));
    } finally {
      closeRedirs(rio, io);
    }
  }

  private async runCompound(cmd: Exclude<Command, Simple | { type: 'func' }>, io: ShellIO, tail: boolean): Promise<number> {
    switch (cmd.type) {
      case 'group':
        return this.runList(cmd.body, io, tail);
      case 'subshell': {
        const sub = this.clone();
        try {
          return await sub.runList(cmd.body, io);
        } catch (e) {
          return sub.exitStatusOf(e, io);
        }
      }
      case 'if': {
        for (const b of cmd.branches) {
          if ((await this.runCondition(b.cond, io)) === 0) return this.runList(b.body, io, tail);
        }
        if (cmd.otherwise) return this.runList(cmd.otherwise, io, tail);
        return 0;
      }
      case 'while':
      case 'until': {
        let status = 0;
        for (;;) {
          const c = await this.runCondition(cmd.cond, io);
          if ((c === 0) !== (cmd.type === 'while')) break;
          const r = await this.loopBody(cmd.body, io);
          status = r.status;
          if (r.stop) break;
        }
        return status;
      }
      case 'for': {
        const items = cmd.items ? await this.expandWords(cmd.items, io) : [...this.positional];
        let status = 0;
        for (const item of items) {
          this.setVar(cmd.name, item);
          const r = await this.loopBody(cmd.body, io);
          status = r.status;
          if (r.stop) break;
        }
        return status;
      }
      case 'case': {
        const subject = await this.expandString(cmd.subject, io);
        for (const arm of cmd.arms) {
          for (const pw of arm.patterns) {
            const pat = await this.expandPattern(pw, io);
            if (matchPattern(pat, subject)) return this.runList(arm.body, io, tail);
          }
        }
        return 0;
      }
    }
  }

  private async runCondition(list: List, io: ShellIO): Promise<number> {
    const saved = this.errexit;
    this.errexit = false;
    try {
      return await this.runList(list, io);
    } finally {
      this.errexit = saved;
    }
  }

  private async loopBody(body: List, io: ShellIO): Promise<{ status: number; stop: boolean }> {
    try {
      return { status: await this.runList(body, io), stop: false };
    } catch (e) {
      if (!(e instanceof LoopControl)) throw e;
      if (e.n > 1) {
        e.n--;
        throw e;
      }
      return { status: 0, stop: e.kind === 'break' };
    }
  }

  private async runSimple(cmd: Simple, io: ShellIO, tail: boolean): Promise<number> {
    this.currentLine = cmd.line - 1 + this.lineBase;
    const argv = await this.expandWords(cmd.words, io);
    const assigns: [string, string][] = [];
    for (const a of cmd.assigns) assigns.push([a.name, await this.expandString(a.value, io)]);
    if (argv.length === 0) {
      for (const [k, v] of assigns) {
        if (this.readonlyVars.has(k)) {
          io.stderr.write(`sh: ${k}: is read only\n`);
          throw new ExitShell(2);
        }
        this.setVar(k, v);
      }
      const rio = await this.applyRedirs(cmd.redirs, io);
      if (!rio) return (this.status = 1);
      closeRedirs(rio, io);
      // POSIX: with no command name, the status is that of the last command substitution.
      return this.status;
    }
    const name = argv[0]!;
    const rio = await this.applyRedirs(cmd.redirs, io);
    if (!rio) return (this.status = 1);
    try {
      const special = SPECIAL_BUILTINS[name];
      if (special) {
        for (const [k, v] of assigns) this.setVar(k, v);
        return (this.status = await special(this, argv, rio));
      }
      const fn = this.funcs.get(name);
      if (fn) return (this.status = await this.callFunction(fn, argv, assigns, rio));
      const builtin = BUILTINS[name];
      if (builtin) {
        const saved = assigns.map(([k]) => [k, this.vars.get(k)] as const);
        for (const [k, v] of assigns) this.vars.set(k, v);
        try {
          return (this.status = await builtin(this, argv, rio));
        } finally {
          for (const [k, v] of saved) {
            if (v === undefined) this.vars.delete(k);
            else this.vars.set(k, v);
          }
        }
      }
      return (this.status = await this.runExternal(argv, assigns, rio, tail));
    } finally {
      closeRedirs(rio, io);
    }
  }

  private async callFunction(body: Command, argv: string[], assigns: [string, string][], io: ShellIO): Promise<number> {
    const savedArgs = this.positional;
    this.positional = argv.slice(1);
    for (const [k, v] of assigns) this.setVar(k, v);
    try {
      return await this.runCommand(body, io, false);
    } catch (e) {
      if (e instanceof ReturnFromFunction) return e.code;
      throw e;
    } finally {
      this.positional = savedArgs;
    }
  }

  /** The environment a child process gets: exported variables plus `VAR=value` prefixes. */
  childEnv(assigns: [string, string][] = []): Map<string, string> {
    const env = new Map<string, string>();
    for (const k of this.exported) {
      const v = this.vars.get(k);
      if (v !== undefined) env.set(k, v);
    }
    for (const [k, v] of assigns) env.set(k, v);
    return env;
  }

  private async runExternal(argv: string[], assigns: [string, string][], io: ShellIO, tail: boolean): Promise<number> {
    const name = argv[0]!;
    const env = this.childEnv(assigns);
    // busybox ash (FEATURE_SH_STANDALONE): an applet name runs the applet, whatever PATH holds.
    if (!name.includes('/') && APPLETS[name]) {
      if (tail) {
        this.ctx.proc.argv = argv;
        return runApplet(name, { ...this.ctx, argv, env, cwd: this.cwd, ...io });
      }
      const { done } = spawnProcess(this.ctx, argv, (child) => runApplet(name, { ...child, env, cwd: this.cwd, ...io }));
      return this.waitForeground(done);
    }
    const found = lookupCommand(this.fs, name, this.vars.get('PATH') ?? DEFAULT_PATH, this.cwd);
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
      this.ctx.proc.argv = argv;
      return runCommand({ ...this.ctx, argv, env, cwd: this.cwd, ...io }, found, true);
    }
    const { done } = spawnProcess(this.ctx, argv, (child) => runCommand({ ...child, env, cwd: this.cwd, ...io }, found, true));
    return this.waitForeground(done);
  }

  // ---- redirections -----------------------------------------------------------

  /** Opens the redirections; undefined (after ash's message) when one fails. */
  async applyRedirs(redirs: Redir[], io: ShellIO): Promise<ShellIO | undefined> {
    if (redirs.length === 0) return io;
    const out: ShellIO = { ...io };
    for (const r of redirs) {
      if (r.heredoc) {
        const text = r.heredoc.expand ? await this.expandString(r.heredoc.body, io) : r.heredoc.body.raw;
        setFd(out, r.fd, Input.of(text));
        continue;
      }
      const target = await this.expandString(r.target, io);
      if (r.op === '>&' || r.op === '<&') {
        if (target === '-') continue;
        const src = fdOf(out, Number(target));
        if (!/^[0-9]+$/.test(target) || src === undefined) {
          io.stderr.write(`sh: ${target}: bad file descriptor\n`);
          return undefined;
        }
        setFd(out, r.fd, src);
        continue;
      }
      const path = resolvePath(this.cwd, target);
      if (r.op === '<' || r.op === '<>') {
        if (target === '/dev/null') {
          setFd(out, r.fd, Input.empty());
          continue;
        }
        try {
          const bytes = this.fs.readFile(path);
          setFd(out, r.fd, Input.of(bytes));
        } catch (e) {
          if (!(e instanceof SimFsError)) throw e;
          io.stderr.write(`sh: can't open ${target}: ${openErrorText(e, true)}\n`);
          return undefined;
        }
        continue;
      }
      if (target === '/dev/null') {
        setFd(out, r.fd, nullOutput);
        continue;
      }
      if (target === '/dev/stdout' || target === '/dev/stderr') {
        setFd(out, r.fd, target === '/dev/stdout' ? io.stdout : io.stderr);
        continue;
      }
      try {
        if (this.fs.exists(path) && this.fs.stat(path).type === 'dir') throw new SimFsError('EISDIR', path);
        if (r.op !== '>>') this.fs.writeFile(path, new Uint8Array(0));
        else if (!this.fs.exists(path)) this.fs.writeFile(path, new Uint8Array(0));
      } catch (e) {
        if (!(e instanceof SimFsError)) throw e;
        io.stderr.write(`sh: can't create ${target}: ${openErrorText(e, false)}\n`);
        return undefined;
      }
      setFd(out, r.fd, fileOutput(this.fs, path));
    }
    return out;
  }

  // ---- expansion ----------------------------------------------------------------

  getVar(name: string): string | undefined {
    switch (name) {
      case '?':
        return String(this.status);
      case '$':
        return String(this.ctx.proc.pid);
      case '#':
        return String(this.positional.length);
      case '@':
      case '*':
        return this.positional.join(' ');
      case '!':
        return this.lastBgPid === undefined ? '' : String(this.lastBgPid);
      case '-':
        return this.errexit ? 'e' : '';
      case '0':
        return this.arg0;
    }
    if (/^[0-9]+$/.test(name)) return this.positional[Number(name) - 1];
    return this.vars.get(name);
  }

  setVar(name: string, value: string): void {
    if (this.readonlyVars.has(name)) {
      throw new ShellError(`${name}: is read only`);
    }
    this.vars.set(name, value);
  }

  setErrexit(on: boolean): void {
    this.errexit = on;
  }

  /** Field splitting and pathname expansion: the words of a command line. */
  async expandWords(words: Word[], io: ShellIO): Promise<string[]> {
    const out: string[] = [];
    for (const w of words) {
      // Fast path: a plain unquoted literal without glob characters is its own field.
      const only = w.parts[0];
      if (w.parts.length === 1 && only!.t === 'lit') {
        if (only!.quoted || !hasGlob(only!.v)) {
          out.push(only!.v);
          continue;
        }
      }
      for (const f of await this.expandFields(w, io)) {
        if (f.glob) {
          const matches = this.glob(f.pattern);
          if (matches.length) {
            out.push(...matches);
            continue;
          }
        }
        out.push(f.text);
      }
    }
    return out;
  }

  /** One string, no splitting, no globbing: assignments, redirection targets, here-docs. */
  async expandString(w: Word, io: ShellIO): Promise<string> {
    let s = '';
    for (const part of w.parts) s += await this.partText(part, io);
    return s;
  }

  /** A case pattern: quoted characters are escaped so they match literally. */
  async expandPattern(w: Word, io: ShellIO): Promise<string> {
    let s = '';
    for (const part of w.parts) {
      const t = await this.partText(part, io);
      s += part.quoted ? t.replace(/[\\*?[]/g, (c) => `\\${c}`) : t;
    }
    return s;
  }

  private async partText(part: Part, io: ShellIO): Promise<string> {
    switch (part.t) {
      case 'lit':
        return part.v;
      case 'param':
        return this.paramValue(part, io);
      case 'cmd':
        return this.commandSubst(part.body, io);
      case 'arith':
        return String(this.arith(await this.expandString(part.expr, io)));
    }
  }

  arith(expr: string): number {
    try {
      return evalArith(
        expr,
        (n) => this.getVar(n),
        (n, v) => this.setVar(n, v),
      );
    } catch (e) {
      throw new ShellError((e as Error).message);
    }
  }

  private async expandFields(w: Word, io: ShellIO): Promise<Field[]> {
    const fields: Field[] = [];
    let cur: Field | undefined;
    const ensure = (): Field => (cur ??= { text: '', pattern: '', glob: false, keep: false });
    const addLiteral = (t: string, quoted: boolean) => {
      const f = ensure();
      f.text += t;
      if (quoted) {
        f.pattern += t.replace(/[\\*?[]/g, (c) => `\\${c}`);
        f.keep = true;
      } else {
        f.pattern += t;
        if (hasGlob(t)) f.glob = true;
      }
    };
    const ifs = this.vars.get('IFS') ?? ' \t\n';
    const addSplit = (t: string) => {
      if (!ifs) return addLiteral(t, false);
      const pieces = splitIfs(t, ifs);
      for (let i = 0; i < pieces.length; i++) {
        const piece = pieces[i]!;
        if (piece === null) {
          if (cur) fields.push(cur);
          cur = undefined;
        } else addLiteral(piece, false);
      }
    };
    for (const part of w.parts) {
      if (part.t === 'lit') {
        addLiteral(part.v, part.quoted);
        continue;
      }
      if (part.t === 'param' && part.name === '@' && part.quoted && !part.op) {
        const ps = this.positional;
        ps.forEach((p, i) => {
          if (i > 0) {
            if (cur) fields.push(cur);
            cur = undefined;
          }
          addLiteral(p, true);
        });
        continue;
      }
      const text = await this.partText(part, io);
      if (part.quoted) addLiteral(text, true);
      else addSplit(text);
    }
    if (cur && (cur.text !== '' || cur.keep)) fields.push(cur);
    return fields;
  }

  private async paramValue(part: Extract<Part, { t: 'param' }>, io: ShellIO): Promise<string> {
    const v = this.getVar(part.name);
    if (!part.op) return v ?? '';
    const arg = async () => (part.arg ? this.expandString(part.arg, io) : '');
    const pat = async () => (part.arg ? this.expandPattern(part.arg, io) : '');
    switch (part.op) {
      case 'len':
        return String((v ?? '').length);
      case ':-':
        return v ? v : arg();
      case '-':
        return v !== undefined ? v : arg();
      case ':=':
      case '=': {
        if (part.op === ':=' ? v : v !== undefined) return v!;
        const a = await arg();
        this.setVar(part.name, a);
        return a;
      }
      case ':+':
        return v ? arg() : '';
      case '+':
        return v !== undefined ? arg() : '';
      case ':?':
      case '?': {
        if (part.op === ':?' ? v : v !== undefined) return v!;
        const msg = (await arg()) || 'parameter not set';
        throw new ShellError(`${part.name}: ${msg}`);
      }
      case '#':
      case '##':
      case '%':
      case '%%': {
        const s = v ?? '';
        const re = patternToRegExp(await pat());
        const longest = part.op.length === 2;
        if (part.op[0] === '#') {
          for (let i = longest ? s.length : 0; longest ? i >= 0 : i <= s.length; i += longest ? -1 : 1) {
            if (re.test(s.slice(0, i))) return s.slice(i);
          }
        } else {
          for (let i = longest ? 0 : s.length; longest ? i <= s.length : i >= 0; i += longest ? 1 : -1) {
            if (re.test(s.slice(i))) return s.slice(0, i);
          }
        }
        return s;
      }
    }
  }

  private async commandSubst(body: List, io: ShellIO): Promise<string> {
    const sub = this.clone();
    const out = new BufferOutput();
    const sio: ShellIO = { stdin: io.stdin, stdout: out, stderr: io.stderr };
    let status: number;
    try {
      status = await sub.runList(body, sio);
    } catch (e) {
      status = sub.exitStatusOf(e, sio);
    }
    this.status = status;
    return out.text().replace(/\n+$/, '');
  }

  /** Pathname expansion against the container's filesystem, sorted as ash sorts. */
  glob(pattern: string): string[] {
    const absolute = pattern.startsWith('/');
    const segs = pattern.split('/').filter((s, i) => s !== '' || i === 0);
    let paths: string[] = [absolute ? '/' : ''];
    for (let i = absolute ? 1 : 0; i < segs.length; i++) {
      const seg = segs[i]!;
      const next: string[] = [];
      for (const base of paths) {
        const dir = resolvePath(this.cwd, base || '.');
        if (!hasGlob(seg)) {
          const lit = seg.replace(/\\(.)/g, '$1');
          const p = base === '/' ? `/${lit}` : base ? `${base}/${lit}` : lit;
          if (this.fs.exists(resolvePath(this.cwd, p)) || i < segs.length - 1) next.push(p);
          continue;
        }
        let names: string[];
        try {
          names = this.fs.readdir(dir);
        } catch {
          continue;
        }
        const re = patternToRegExp(seg);
        for (const n of names) {
          if (n.startsWith('.') && !seg.startsWith('.')) continue;
          if (re.test(n)) next.push(base === '/' ? `/${n}` : base ? `${base}/${n}` : n);
        }
      }
      paths = next;
    }
    return paths.filter((p) => this.fs.exists(resolvePath(this.cwd, p))).sort();
  }
}

/** A shell error that is not a syntax error (`sh: x: parameter not set`): status 2, exits a non-interactive shell. */
export class ShellError extends Error {}

/** Field splitting: IFS characters end a field (null marks a break), runs collapse. */
function splitIfs(text: string, ifs: string): (string | null)[] {
  const out: (string | null)[] = [];
  let word = '';
  for (const c of text) {
    if (ifs.includes(c)) {
      if (word) out.push(word);
      word = '';
      if (out[out.length - 1] !== null) out.push(null);
    } else word += c;
  }
  if (word) out.push(word);
  return out;
}

function fdOf(io: ShellIO, fd: number): Input | Output | undefined {
  return fd === 0 ? io.stdin : fd === 1 ? io.stdout : fd === 2 ? io.stderr : undefined;
}

function setFd(io: ShellIO, fd: number, s: Input | Output): void {
  if (fd === 0 && s instanceof Input) io.stdin = s;
  else if (fd === 1 && !(s instanceof Input)) io.stdout = s;
  else if (fd === 2 && !(s instanceof Input)) io.stderr = s;
}

function closeRedirs(_rio: ShellIO, _io: ShellIO): void {
  // Files are written through on every write; nothing to flush.
}

function fileOutput(fs: SimFs, path: string): Output {
  return {
    isTTY: false,
    write(data) {
      const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
      fs.writeFile(path, bytes, { append: true });
    },
  };
}

/** ash's open() error wording differs from strerror for the common cases. */
function openErrorText(e: SimFsError, reading: boolean): string {
  if (e.code === 'ENOENT') return reading ? 'no such file' : 'nonexistent directory';
  return e.text;
}

export { SIGNALS, toText };
