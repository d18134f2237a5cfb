import { Killed } from '../process/process-table.js';
import type { Input, Output } from '../process/streams.js';
import { BrokenPipe, Pipe } from '../process/pipe.js';
import type { AppletContext } from '../process/context.js';
import { spawnProcess } from '../process/fork.js';
import type { AndOr, Command, List, Pipeline } from './ast.js';
import { runCompound } from './compound.js';
import { ExitShell, LoopControl, ReturnFromFunction, ShellError } from './control.js';
import { startBackground, waitForeground, type Job } from './jobs.js';
import { parse, ShSyntaxError } from './parser.js';
import { applyRedirs, closeRedirs } from './redirections.js';
import { runSimple } from './simple-command.js';
import { runTraps } from './traps.js';

export interface ShellIO {
  stdin: Input;
  stdout: Output;
  stderr: Output;
}

/**
 * One busybox-ash interpreter state: variables, functions, positional parameters, traps,
 * jobs. This file walks the AST (lists, and-or lists, pipelines, commands); what a node
 * does lives beside it: `simple-command.ts`, `compound.ts`, `expansion.ts`, `redirections.ts`,
 * `jobs.ts`, `traps.ts`.
 */
export class Shell {
  vars = new Map<string, string>();
  exported = new Set<string>();
  readonlyVars = new Set<string>();
  funcs = new Map<string, Command>();
  positional: string[];
  status = 0;
  /** `set -e`. */
  errexit = false;
  lastBgPid: number | undefined;
  cwd: string;
  /** Trap actions by signal number; 0 is EXIT. */
  traps = new Map<number, string>();
  /** Trapped signals that arrived, their actions not run yet. */
  pending: number[] = [];
  /** Who awaits the next trapped signal (the `wait` builtin). */
  signalWaiters: (() => void)[] = [];
  /** Background jobs by PID. ash keeps a job after it ends, so `wait PID` still gives its status. */
  jobs = new Map<number, Job>();
  /** Line numbers: ash counts from 0 in `-c` strings, from 1 in scripts and stdin. */
  lineBase: number;
  currentLine = 0;

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

  private checkpoint(): Promise<void> | void {
    this.ctx.signal.throwIfAborted();
    return this.ctx.container.freezer.thaw();
  }

  // ---- the AST, top down ----------------------------------------------------

  async runList(list: List, io: ShellIO, tail = false): Promise<number> {
    const items = list.items;
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      const frozen = this.checkpoint();
      if (frozen) await frozen;
      if (item.background) {
        startBackground(this, item.cmd, io);
        this.status = 0;
      } else {
        await this.runAndOr(item.cmd, io, tail && i === items.length - 1 && this.traps.size === 0);
      }
      if (this.pending.length) await runTraps(this, io);
    }
    return this.status;
  }

  async runAndOr(node: AndOr, io: ShellIO, tail: boolean): Promise<number> {
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
      const statuses = await waitForeground(this, Promise.all(runs));
      status = statuses[statuses.length - 1]!;
    }
    if (p.bang) status = status === 0 ? 1 : 0;
    this.status = status;
    if (this.errexit && status !== 0 && !p.bang) throw new ExitShell(status);
    return status;
  }

  async runCommand(cmd: Command, io: ShellIO, tail: boolean): Promise<number> {
    if (cmd.type === 'simple') return runSimple(this, cmd, io, tail);
    if (cmd.type === 'func') {
      this.funcs.set(cmd.name, cmd.body);
      this.status = 0;
      return 0;
    }
    const rio = await applyRedirs(this, cmd.redirs, io);
    if (!rio) return (this.status = 1);
    try {
      return (this.status = await runCompound(this, cmd, rio, tail));
    } finally {
      closeRedirs(rio, io);
    }
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

  // ---- variables ------------------------------------------------------------

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
}
