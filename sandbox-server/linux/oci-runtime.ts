import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  ContainerSpec,
  KernelMount,
  NamespaceInfo,
  ProcessHandle,
  ProcessIO,
  ProcessSpec,
  RootfsLayout,
  Runtime,
  RuntimeStatus,
  Signal,
} from '../../src/engine/drivers/runtime.js';
import { RuntimeContainerNotFound, RuntimeStateError } from '../../src/engine/errors.js';
import { cgroupPathFor, removeCgroup, removeCgroupTree } from './cgroups.js';
import { processStartTime, type Resource, type ResourceTracker } from './cleanup.js';
import { runCommand } from './command.js';
import { startInHostShell } from './host-process.js';
import type { OutputPace } from './output-pace.js';
import { waitForFile } from './wait-for-file.js';
import { initLayerDir, prepareEtcFiles } from './etc-files.js';
import type { IdMapping } from './id-mapping.js';
import { assertMappedRootCanReach } from './mapped-root-access.js';
import { mountRootfs, unmountRootfs } from './mount.js';
import { ociConfig, ociProcess } from './oci-spec.js';
import { resolveUser } from './oci-user.js';
import { containerNamespaces } from './proc-namespaces.js';
import { rootfsMountInfo } from './proc-mountinfo.js';
import { lastRuntimeError, runtimeFailure, startFailure } from './runtime-errors.js';
import { onPty, resizePty, SCRIPT } from './pty-wrapper.js';

export interface OciRuntimeOptions {
  /** The runtime binary that `detectRuntime` saw run a container. */
  runtime: string;
  /** Bundles go to `<stateDir>/bundles/<id>`, the runtime's own state to `<stateDir>/runtime`. */
  stateDir: string;
  tracker: ResourceTracker;
  /** The user namespace containers run in (id-mapping.ts); none when undefined. */
  ids?: IdMapping;
  /**
   * The session's cgroup (linux-backend.ts made it, with the session's ceiling, and
   * journaled it): every container and build step goes below it, and `dispose` removes it.
   */
  sessionCgroup?: string;
  /** How fast the session's containers' output is read (output-pace.ts); as fast as it comes when undefined. */
  outputPace?: OutputPace;
}

interface LiveContainer {
  id: string;
  bundle: string;
  rootfs: string;
  cgroup: string;
  io: ProcessIO;
  /** The init runs on a pty (`-t`). */
  terminal: boolean;
  resources: Resource[];
  execs: number;
  /** Set once the runtime has the container (`runc create` succeeded, at start). */
  task?: { initPid: number; exited: Promise<number>; stopped: boolean };
}

/** Where an OciRuntime keeps its bundles and the runtime's own state, under its `stateDir` (leftover-scan.ts looks there after a crash). */
export function ociRuntimePaths(stateDir: string): { runtimeRoot: string; bundles: string } {
  return { runtimeRoot: join(stateDir, 'runtime'), bundles: join(stateDir, 'bundles') };
}

/** How long output may trail the init's exit (its pid namespace is gone, so only buffered bytes remain). */
const DRAIN_MS = 2000;

/**
 * The OCI runtime lifecycle on runc (or crun): a bundle per container whose rootfs is
 * the snapshotter's mount performed here (`create`), a foreground `runc run` as the
 * container's parent (`start`), `kill`, `pause`/`resume` (freezer), `exec`, `state`, `delete`. Everything created is
 * journaled in the ResourceTracker first, so cleanup.ts can remove it after a crash.
 */
export class OciRuntime implements Runtime {
  private readonly live = new Map<string, LiveContainer>();
  private readonly runtimeRoot: string;
  private readonly bundles: string;
  /** Checked once: the mapped root reaches the bundles dir (mapped-root-access.ts). */
  private bundlesReachable: Promise<void> | undefined;

  constructor(private readonly opts: OciRuntimeOptions) {
    ({ runtimeRoot: this.runtimeRoot, bundles: this.bundles } = ociRuntimePaths(opts.stateDir));
  }

  private runtimeArgs(...args: string[]): string[] {
    return ['--root', this.runtimeRoot, ...args];
  }

  private async runtime(id: string, ...args: string[]): Promise<string> {
    const r = await runCommand(this.opts.runtime, this.runtimeArgs(...args), { ok: [0, 1, 255] });
    if (r.code === 0) return r.stdout.toString('utf8');
    const error = runtimeFailure(id, r.stderr.toString('utf8'));
    // Ours but gone from the runtime: its init exited and `runc run` removed it.
    if (error instanceof RuntimeContainerNotFound && this.live.has(id)) throw new RuntimeStateError(`container ${id} is not running`, { id });
    throw error;
  }

  private async track(c: { resources: Resource[] }, r: Resource): Promise<void> {
    await this.opts.tracker.track(r);
    c.resources.push(r);
  }

  /**
   * Sets the container up without the runtime: its bundle, its rootfs mounted, config.json.
   * Docker: `docker create` makes no runtime container; the runtime's container comes
   * with `docker start`, which is why a missing executable is an error of start (127).
   */
  async create(spec: ContainerSpec, io: ProcessIO): Promise<void> {
    if (this.live.has(spec.id) || existsSync(join(this.runtimeRoot, spec.id))) {
      throw new RuntimeStateError(`container with id exists: ${spec.id}`, { id: spec.id });
    }
    const bundle = join(this.bundles, spec.id);
    const rootfs = this.rootfsLayout(spec.id).mergedDir;
    const c: LiveContainer = {
      id: spec.id,
      bundle,
      rootfs,
      cgroup: cgroupPathFor(spec.id, this.opts.sessionCgroup),
      io,
      terminal: spec.process.terminal,
      resources: [],
      execs: 0,
    };
    try {
      await this.track(c, { kind: 'dir', path: bundle });
      await mkdir(rootfs, { recursive: true });
      // Say which dir keeps the mapped root out, where runc would say "permission denied".
      await (this.bundlesReachable ??= assertMappedRootCanReach(bundle, this.opts.ids).catch((e: unknown) => {
        this.bundlesReachable = undefined;
        throw e;
      }));
      // The mount's journal record and the init layer's files side by side; the record is
      // written before the mount exists, as every record is.
      const [, mounts] = await Promise.all([
        this.track(c, { kind: 'mount', target: rootfs }),
        prepareEtcFiles(bundle, spec.etcFiles ?? [], spec.rootfs, this.opts.ids),
      ]);
      await mountRootfs(mounts, rootfs);
      const user = await resolveUser(spec.process.user, rootfs);
      await writeFile(join(bundle, 'config.json'), JSON.stringify(ociConfig(spec, user, c.cgroup, this.opts.ids)));
      this.live.set(spec.id, c);
    } catch (error) {
      await this.release(c, false);
      throw error;
    }
  }

  private require(id: string): LiveContainer {
    const c = this.live.get(id);
    if (!c) throw new RuntimeContainerNotFound(`container ${id} does not exist`, { id });
    return c;
  }

  private requireTask(id: string): NonNullable<LiveContainer['task']> {
    const task = this.require(id).task;
    if (!task || task.stopped) throw new RuntimeStateError(`container ${id} is not running`, { id });
    return task;
  }

  /**
   * `runc run` in the foreground, as the parent of the container: it is the subreaper
   * that learns the init's exit status (128 + signal when killed) and removes the
   * runtime's container when the init exits. One runtime call per container, where
   * create + start + delete would be three (container start time is what learners feel).
   */
  async start(id: string): Promise<ProcessHandle> {
    const c = this.require(id);
    if (c.task) throw new RuntimeStateError(`container ${id} has already been started`, { id });
    const taskResources: Resource[] = [
      { kind: 'cgroup', path: c.cgroup },
      { kind: 'container', id, runtime: this.opts.runtime, runtimeRoot: this.runtimeRoot },
    ];
    const logFile = join(c.bundle, 'runtime.log');
    const pidFile = join(c.bundle, 'init.pid');
    // Journal records are files of their own: written side by side, each before its
    // resource exists, beside the removal of an earlier start's files.
    await Promise.all([...taskResources.map((r) => this.track(c, r)), rm(logFile, { force: true }), rm(pidFile, { force: true })]);
    const child = await this.startRuntime(
      this.runtimeArgs('--log', logFile, '--log-format', 'json', 'run', '--bundle', c.bundle, '--pid-file', pidFile, id),
      c.io,
      c.terminal,
      join(c.bundle, 'run'),
      255,
    );
    const output = connectIO(child, c.io, c.terminal, this.opts.outputPace);
    const exit = child.exit;
    const started = await Promise.race([waitForFile(pidFile, exit), exit.then(() => existsSync(pidFile))]);
    child.attached();
    if (!started) {
      const status = await exit;
      // Until the init runs, only the runtime itself can have written to stderr.
      output.discardHeldStderr();
      const reason = (await lastRuntimeError(logFile)) ?? `${this.opts.runtime} run exited with status ${status}`;
      // runc removed its container; ours stays created, as Docker's does.
      await removeCgroup(c.cgroup);
      for (const r of taskResources) await this.opts.tracker.untrack(r);
      c.resources = c.resources.filter((r) => !taskResources.includes(r));
      throw startFailure(reason);
    }
    output.openStderr();
    const initPid = Number((await readFile(pidFile, 'utf8')).trim());
    // `runc run` is the init's parent (its subreaper); gone already if the init was quick.
    const runnerPid = child.pid ?? parentPid(initPid);
    const runner: Resource | undefined = runnerPid ? { kind: 'process', pid: runnerPid, startTime: processStartTime(runnerPid) ?? '' } : undefined;
    if (runner?.startTime) {
      taskResources.push(runner);
      await this.track(c, runner);
    }
    const task = { initPid, stopped: false, exited: Promise.resolve(0) };
    task.exited = exit.then(async (code) => {
      task.stopped = true;
      await Promise.race([output.done, new Promise((r) => setTimeout(r, DRAIN_MS).unref())]);
      return code;
    });
    c.task = task;
    const handle: ProcessHandle = { pid: initPid, wait: () => task.exited };
    // The init's signals go through `kill` (runc kill); on a pty the learner's ^C is input, as from Docker's CLI.
    if (c.terminal) handle.resize = (cols, rows) => this.resize(child.child, task, { cols, rows });
    return handle;
  }

  /**
   * The runtime, started with pipes by a pooled host shell (host-process.ts: a fork of
   * sh, not of the server, whose shell sessions are already their own — a Ctrl-C at the
   * server's terminal does not reach the container); or, for a `-t` process, spawned on a
   * pty of its own (pty-wrapper.ts) — one more process start, so only a terminal pays it.
   * `prefix` names its FIFOs; `onSignal` is the status when a signal ended the child.
   */
  private async startRuntime(args: string[], io: ProcessIO, terminal: boolean, prefix: string, onSignal: number): Promise<RuntimeProcess> {
    if (!terminal) return startInHostShell(this.opts.runtime, args, prefix, io.stdin !== undefined);
    // Debian's bsdutils is Essential, so this is there wherever runc is; else say what is missing, not ENOENT.
    if (!existsSync(SCRIPT)) throw new RuntimeStateError(`a terminal (-t) needs util-linux script at ${SCRIPT}`, {});
    const wrapped = onPty(this.opts.runtime, args);
    // Docker: `-t` without `-i` gives the process a terminal no one types into, not an
    // ended input, so stdin is a pipe kept open either way. fd 3 carries runc's own messages.
    // Own session: a Ctrl-C at the server's terminal must not reach the container.
    const child = spawn(wrapped.file, wrapped.args, {
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
      detached: true,
      env: { ...process.env, SHELL: '/bin/sh' },
    });
    return {
      stdin: child.stdin!,
      stdout: child.stdout!,
      stderr: child.stderr!,
      runtimeMessages: child.stdio[3] as Readable,
      // Listen at once: `exit` is emitted once, and under load the runtime can end before the caller awaits.
      exit: exitOf(child, 'exit', onSignal),
      attached: () => undefined,
      pid: child.pid,
      child,
    };
  }

  private async resize(child: ChildProcess | undefined, task: { stopped: boolean }, size: { cols: number; rows: number }): Promise<void> {
    if (task.stopped || child?.pid === undefined) throw new RuntimeStateError('the process has exited', {});
    await resizePty(child.pid, size);
  }

  async kill(id: string, signal: Signal): Promise<void> {
    this.requireTask(id);
    await this.runtime(id, 'kill', id, signal);
  }

  async pause(id: string): Promise<void> {
    this.requireTask(id);
    await this.runtime(id, 'pause', id);
  }

  async resume(id: string): Promise<void> {
    this.requireTask(id);
    await this.runtime(id, 'resume', id);
  }

  async exec(id: string, process: ProcessSpec, io: ProcessIO): Promise<ProcessHandle> {
    const c = this.require(id);
    this.requireTask(id);
    const n = ++c.execs;
    const files = ['json', 'pid', 'log', 'in', 'out', 'err'].map((ext) => join(c.bundle, `exec-${n}.${ext}`)) as [string, string, string];
    const [processFile, pidFile, logFile] = files;
    const user = await resolveUser(process.user, c.rootfs);
    await writeFile(processFile, JSON.stringify(ociProcess(process, user)));
    const child = await this.startRuntime(
      this.runtimeArgs('--log', logFile, '--log-format', 'json', 'exec', '--pid-file', pidFile, '--process', processFile, id),
      io,
      process.terminal,
      join(c.bundle, `exec-${n}`),
      137,
    );
    const output = connectIO(child, io, process.terminal, this.opts.outputPace);
    // Its status once its output is read too (a quick exec's last bytes trail its exit).
    const exit = child.exit.then(async (code) => {
      await output.done;
      return code;
    });
    // Started once runc wrote the pid file; failed if it exited first with an error logged.
    const started = await Promise.race([waitForFile(pidFile, exit), exit.then(() => existsSync(pidFile))]);
    child.attached();
    const failure = started ? undefined : await lastRuntimeError(logFile);
    if (failure !== undefined) {
      output.discardHeldStderr();
      await Promise.all(files.map((f) => rm(f, { force: true })));
      throw /unable to start container process/.test(failure) ? startFailure(failure) : runtimeFailure(id, failure);
    }
    output.openStderr();
    const pid = Number((await readFile(pidFile, 'utf8').catch(() => '0')).trim()) || undefined;
    const ended = { stopped: false };
    const done = exit.then(async (code) => {
      ended.stopped = true;
      await output.done;
      await Promise.all(files.map((f) => rm(f, { force: true })));
      return code;
    });
    const handle: ProcessHandle = { wait: () => done };
    if (pid !== undefined) {
      handle.pid = pid;
      handle.signal = (signal) => (process.terminal && signal === 'SIGINT' ? ttyInterrupt(child.stdin, ended) : signalExec(pid, ended, signal));
    }
    if (process.terminal) handle.resize = (cols, rows) => this.resize(child.child, ended, { cols, rows });
    return handle;
  }

  rootfsLayout(id: string): RootfsLayout {
    const bundle = join(this.bundles, id);
    return { initDir: initLayerDir(bundle), mergedDir: join(bundle, 'rootfs') };
  }

  async namespaces(id: string): Promise<NamespaceInfo[]> {
    return containerNamespaces(this.requireTask(id).initPid);
  }

  async rootfsMountInfo(id: string): Promise<KernelMount | null> {
    const c = this.require(id);
    const running = c.task && !c.task.stopped ? c.task.initPid : null;
    return rootfsMountInfo(running, c.rootfs);
  }

  async state(id: string): Promise<{ status: RuntimeStatus; pid?: number }> {
    const task = this.require(id).task;
    if (!task) return { status: 'created' };
    if (task.stopped) return { status: 'stopped' };
    const st = JSON.parse(
      await this.runtime(id, 'state', id).catch((e: unknown) => {
        // The init exited between our look and runc's: runc has already removed it.
        if (e instanceof RuntimeStateError) return '{"status":"stopped"}';
        throw e;
      }),
    ) as { status: RuntimeStatus; pid?: number };
    return st.status === 'stopped' || !st.pid ? { status: st.status } : { status: st.status, pid: st.pid };
  }

  async delete(id: string): Promise<void> {
    const c = this.require(id);
    if (c.task && !c.task.stopped) {
      const { status } = await this.state(id);
      if (status === 'running' || status === 'paused')
        throw new RuntimeStateError(`cannot delete container ${id} that is not stopped: ${status}`, { id, status });
      await c.task.exited;
    }
    this.live.delete(id);
    await this.release(c, false);
  }

  /** Kills and removes every container this runtime holds, then the session's cgroup (session end, server shutdown). */
  async dispose(): Promise<void> {
    for (const c of [...this.live.values()]) {
      this.live.delete(c.id);
      await this.release(c, true);
    }
    const session = this.opts.sessionCgroup;
    if (session) {
      await removeCgroupTree(session);
      await this.opts.tracker.untrack({ kind: 'cgroup', path: session });
    }
  }

  private async release(c: LiveContainer, force: boolean): Promise<void> {
    if (force && c.task && !c.task.stopped) {
      await runCommand(this.opts.runtime, this.runtimeArgs('delete', '--force', c.id), { ok: [0, 1] });
      await c.task.exited;
    }
    // runc has removed the cgroup when the init exited; this is for a runtime that did not.
    await Promise.all([unmountRootfs(c.rootfs), removeCgroup(c.cgroup)]);
    await rm(c.bundle, { recursive: true, force: true });
    await Promise.all(c.resources.map((r) => this.opts.tracker.untrack(r)));
    c.resources = [];
  }
}

/** A runtime child (`runc run` or `runc exec`), however it was started. */
export interface RuntimeProcess {
  stdin?: Writable;
  stdout: Readable;
  stderr: Readable;
  /** On a pty, the runtime's own messages (fd 3), apart from the process's output. */
  runtimeMessages?: Readable;
  exit: Promise<number>;
  /** The runtime has opened its output (it ran the process): their end is its own from now. */
  attached(): void;
  /** Known for a spawned child; a shell's job is found by the init's parent. */
  pid?: number;
  /** A spawned child (the pty wrapper), which a resize addresses. */
  child?: ChildProcess;
}

export interface ConnectedIO {
  /** Both output streams have ended. */
  done: Promise<void>;
  /** From now on stderr goes to the process's sink (before, it is the runtime's own). */
  openStderr(): void;
  discardHeldStderr(): void;
}

/**
 * Streams a runtime child's stdout/stderr to `io` as it comes (at the session's `pace`,
 * if any), and `io.stdin` to it.
 * On a pty (`terminal`) the process has one output stream, the pty's (Docker: with `-t`
 * stderr is stdout); the runtime's own messages then come on fd 3 and the wrapper's on
 * stderr, and both are held like a piped runtime's stderr until the process runs.
 */
export function connectIO(child: RuntimeProcess, io: ProcessIO, terminal: boolean, pace?: OutputPace): ConnectedIO {
  let open = false;
  let held: Buffer[] = [];
  const runtimeErr = [child.stderr, ...(terminal && child.runtimeMessages ? [child.runtimeMessages] : [])];
  child.stdout.on('data', (chunk: Buffer) => io.stdout(new Uint8Array(chunk)));
  for (const s of runtimeErr) s.on('data', (chunk: Buffer) => (open ? io.stderr(new Uint8Array(chunk)) : held.push(chunk)));
  // A read error of an output pipe (EIO from a FIFO or a pty whose side went away) ends
  // that stream — 'close' follows — instead of an unheard 'error' that stops the server.
  for (const s of [child.stdout, ...runtimeErr]) s.on('error', () => undefined);
  if (pace) for (const s of [child.stdout, ...runtimeErr]) pace.pace(s);
  const ended = (s: NodeJS.ReadableStream) => new Promise<void>((resolve) => s.on('close', resolve).on('end', resolve));
  if (io.stdin && child.stdin) {
    const sink = child.stdin;
    sink.on('error', () => undefined); // EPIPE: the process stopped reading.
    void (async () => {
      for await (const chunk of io.stdin!) if (!sink.write(chunk)) await new Promise((r) => sink.once('drain', r));
      sink.end();
    })().catch(() => sink.destroy());
  }
  return {
    done: Promise.all([child.stdout, ...runtimeErr].map(ended)).then(() => undefined),
    openStderr: () => {
      open = true;
      for (const chunk of held) io.stderr(new Uint8Array(chunk));
      held = [];
    },
    discardHeldStderr: () => {
      held = [];
    },
  };
}

/**
 * Ctrl-C on a pty: the byte ^C, which the container's line discipline turns into SIGINT
 * for the terminal's foreground process group — the `sleep` a shell runs, not the shell
 * (an interactive shell ignores SIGINT, so a signal to its PID would do nothing), exactly
 * as a real terminal does. It goes through the outer pty, which is raw, untouched.
 */
async function ttyInterrupt(stdin: Writable | undefined, task: { stopped: boolean }): Promise<void> {
  if (task.stopped || !stdin?.writable) throw new RuntimeStateError('the process has exited', {});
  stdin.write('\x03');
}

/** The parent of `pid` (field 4 of /proc/<pid>/stat), or undefined once it is gone. */
function parentPid(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * A signal to an exec'd process without a pty: to the host PID runc wrote in its pid file
 * (`runc kill` reaches only the init). Not after its exit, when the PID may be another's.
 */
async function signalExec(pid: number, task: { stopped: boolean }, signal: Signal): Promise<void> {
  if (task.stopped) throw new RuntimeStateError('the process has exited', {});
  process.kill(pid, signal);
}

/**
 * The runtime child's exit status (`signalled` when a signal ended it). A child that could
 * not be spawned at all (EAGAIN: the host is out of processes) emits 'error' and never
 * 'exit': heard here, it is a failed start of one container, not an uncaught error that
 * stops the server, nor a start that waits forever.
 */
function exitOf(child: ChildProcess, event: 'exit' | 'close', signalled: number): Promise<number> {
  return new Promise<number>((resolve) => {
    child.on(event, (code: number | null, signal: NodeJS.Signals | null) => resolve(code ?? (signal ? signalled : 255)));
    child.once('error', () => resolve(255));
  });
}
