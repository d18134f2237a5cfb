import { initialTransition, transition } from 'xstate';
import type { Clock } from '../drivers/clock.js';
import type { ProcessHandle, ProcessIO, Runtime, Signal } from '../drivers/runtime.js';
import type { Snapshotter } from '../drivers/snapshotter.js';
import type { Digest } from '../digest.js';
import { ProcessStartError } from '../errors.js';
import type { HostInfo } from '../engine.js';
import type { EngineEvent } from '../events.js';
import type { ImageRecord, ImageStore } from '../images/image-store.js';
import { generateName, VALID_CONTAINER_NAME } from '../names.js';
import { containerMachine, type ContainerMachineEvent } from './container.machine.js';
import {
  AmbiguousContainer,
  ContainerNameConflict,
  ContainerStartFailed,
  ContainerStateError,
  NoSuchContainer,
} from './container-errors.js';
import type { ContainerRecord, OutputSink } from './container-record.js';
import { statusOf } from './container-record.js';
import { containerDiff, visiblePaths, type DiffEntry } from './container-diff.js';
import { ContainerLog } from './container-log.js';
import { mergeEnv, resolveCommand } from './process-args.js';
import { checkResources, DEFAULT_RESOURCE_POLICY, type RequestedResources, type ResourcePolicy } from './resource-limits.js';
import { processSpec, startOnSnapshot } from './snapshot-process.js';

/** How `docker stop`/`restart` end a container's process. */
export interface StopOptions {
  timeoutSeconds: number | undefined;
  /** `--signal`, else the container's STOPSIGNAL. */
  signal: Signal | undefined;
}

export interface CreateContainerOptions {
  imageRef: string;
  image: ImageRecord;
  name?: string;
  args: string[];
  entrypoint?: string;
  env: string[];
  workdir?: string;
  hostname?: string;
  user?: string;
  tty: boolean;
  openStdin: boolean;
  autoRemove: boolean;
  memory?: number;
  /** `--memory-swap`: memory + swap, -1 unlimited swap. */
  memorySwap?: number;
  pidsLimit?: number;
  /** `--cpus` in billionths, as Docker's HostConfig.NanoCpus. */
  nanoCpus?: number;
  labels?: Record<string, string>;
}

export interface StartOptions {
  /** Attach the client's output (and, with `stdin`, input) to this run. */
  sink?: OutputSink;
  stdin?: AsyncIterable<Uint8Array>;
}

/** Docker: the signal `docker stop` sends first, unless the image says otherwise. */
const DEFAULT_STOP_SIGNAL: Signal = 'SIGTERM';
/** A container whose exit could not be handled (reported through `fail`): Docker's "exited with an unknown status". */
const EXIT_HANDLING_FAILED = 255;
/** How long the docker CLI takes to return and run again (its start-up and a daemon round
 * trip): a detached process that ends within it is seen exited by the next command. */
const CLI_ROUND_TRIP_MS = 150;

/**
 * The containers: records, their lifecycle machine, and the runtime/snapshotter I/O
 * each transition needs. One runtime container per run (containerd's task): created
 * and started on `start`, deleted when its process exits.
 */
export class ContainerManager {
  /** Detached starts the next command or state read waits for (`settle`). */
  private readonly settling = new Set<{ exited: Promise<number>; until: number }>();
  readonly containers = new Map<string, ContainerRecord>();
  private readonly lowerCache = new WeakMap<ImageRecord, Set<string>>();

  constructor(
    private readonly deps: {
      runtime: Runtime;
      snapshotter: Snapshotter;
      clock: Clock;
      host?: HostInfo;
      images: ImageStore;
      random: () => number;
      emit: (event: EngineEvent) => void;
      /** Output kept per container for `docker logs`. */
      logBytes: number;
      /** Work nobody awaits failed (a detached container's exit, its output): the engine's owner decides what that means. */
      fail: (error: unknown) => void;
      resources?: ResourcePolicy;
    },
  ) {
    this.resources = deps.resources ?? DEFAULT_RESOURCE_POLICY;
  }

  /** The limits every container and build step runs within (the backend's settings). */
  readonly resources: ResourcePolicy;

  // ---- lookup -------------------------------------------------------------

  /** Docker's container lookup: full ID, exact name, then a unique ID prefix. */
  get(ref: string): ContainerRecord {
    const byId = this.containers.get(ref);
    if (byId) return byId;
    const name = ref.startsWith('/') ? ref.slice(1) : ref;
    for (const c of this.containers.values()) if (c.name === name) return c;
    if (/^[a-f0-9]+$/.test(ref)) {
      const matches = [...this.containers.values()].filter((c) => c.id.startsWith(ref));
      if (matches.length > 1) throw new AmbiguousContainer(`Multiple IDs found with provided prefix: ${ref}`, { ref });
      if (matches[0]) return matches[0];
    }
    throw new NoSuchContainer(`No such container: ${ref}`, { ref });
  }

  /** Newest first, as `docker ps` lists them. */
  list(): ContainerRecord[] {
    // Map order is creation order: reversed, it breaks ties of equal creation times.
    return [...this.containers.values()].reverse().sort((a, b) => b.created - a.created);
  }

  // ---- create -------------------------------------------------------------

  async create(opts: CreateContainerOptions): Promise<ContainerRecord> {
    const { snapshotter, clock } = this.deps;
    const imageConfig = opts.image.config.config;
    const { entrypoint, cmd, argv } = resolveCommand(imageConfig, opts.args, opts.entrypoint);
    const resources: RequestedResources = { memory: opts.memory ?? 0, memorySwap: opts.memorySwap ?? 0, pidsLimit: opts.pidsLimit ?? null, nanoCpus: opts.nanoCpus ?? 0 };
    checkResources(resources, this.resources);
    if (opts.name !== undefined) {
      if (!VALID_CONTAINER_NAME.test(opts.name)) {
        throw new ContainerStateError('INVALID_CONTAINER_NAME', `Invalid container name (${opts.name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
      }
      const name = opts.name.replace(/^\//, '');
      const owner = [...this.containers.values()].find((c) => c.name === name);
      if (owner) {
        throw new ContainerNameConflict(
          `Conflict. The container name "/${name}" is already in use by container "${owner.id}". You have to remove (or rename) that container to be able to reuse that name.`,
          { name, id: owner.id },
        );
      }
    }
    const id = this.newId();
    const name = opts.name?.replace(/^\//, '') ?? generateName(this.deps.random, (n) => this.nameTaken(n));
    const top = opts.image.chainIds[opts.image.chainIds.length - 1];
    const mounts = await snapshotter.prepare(id, top);
    const hostname = opts.hostname ?? id.slice(0, 12);
    const [machine] = initialTransition(containerMachine, { id, name });
    const record: ContainerRecord = {
      id,
      name,
      imageRef: opts.imageRef,
      image: opts.image,
      path: argv[0]!,
      args: argv.slice(1),
      config: {
        hostname,
        user: opts.user ?? imageConfig.User ?? '',
        env: mergeEnv(imageConfig.Env ?? [], opts.env),
        cmd,
        entrypoint,
        workingDir: opts.workdir ?? imageConfig.WorkingDir ?? '',
        tty: opts.tty,
        openStdin: opts.openStdin,
        stdinOnce: opts.openStdin,
        attachStdin: opts.openStdin,
        attachStdout: true,
        attachStderr: true,
        labels: { ...(imageConfig.Labels ?? {}), ...(opts.labels ?? {}) },
        stopSignal: imageConfig.StopSignal,
      },
      hostConfig: { autoRemove: opts.autoRemove, ...resources },
      machine,
      created: clock.now(),
      startedAt: null,
      finishedAt: null,
      restartCount: 0,
      snapshotKey: id,
      mounts,
      logs: new ContainerLog(this.deps.logBytes),
      sinks: new Set(),
      handle: null,
      exited: null,
      pid: null,
      stopping: false,
    };
    this.containers.set(id, record);
    this.deps.emit({ type: 'container.created', id, name, imageId: opts.image.id });
    return record;
  }

  private nameTaken(name: string): boolean {
    for (const c of this.containers.values()) if (c.name === name) return true;
    return false;
  }

  /** 64 hex digits; Docker draws again when the short ID would read as a number. */
  private newId(): string {
    for (;;) {
      let id = '';
      for (let i = 0; i < 64; i++) id += Math.floor(this.deps.random() * 16).toString(16);
      if (/^[0-9]+$/.test(id.slice(0, 12))) continue;
      if (!this.containers.has(id)) return id;
    }
  }

  // ---- transitions --------------------------------------------------------

  /** Applies a lifecycle event; throws Docker's error when the state refuses it. */
  private send(c: ContainerRecord, event: ContainerMachineEvent): void {
    const before = c.machine.value;
    const [next] = transition(containerMachine, c.machine, event);
    const error = next.context.error;
    if (error) throw new ContainerStateError(error.code, error.message);
    c.machine = next;
    if (next.value !== before) {
      this.deps.emit({ type: 'container.status', id: c.id, status: statusOf(c), exitCode: next.context.exitCode });
    }
  }

  /** Starts the init process. Resolves once it runs; `c.exited` resolves at its exit. */
  async start(c: ContainerRecord, opts: StartOptions = {}): Promise<void> {
    const wasRunning = statusOf(c) === 'running';
    this.send(c, { type: 'container.start' });
    if (wasRunning) return;
    const { runtime, clock } = this.deps;
    if (opts.sink) c.sinks.add(opts.sink);
    const io = this.processIO(c, c.config.openStdin ? opts.stdin : undefined);
    try {
      c.handle = await startOnSnapshot(
        { runtime, host: this.deps.host, resources: this.resources },
        {
          id: c.id,
          hostname: c.config.hostname,
          rootfs: c.mounts,
          process: { args: [c.path, ...c.args], env: c.config.env, cwd: c.config.workingDir, user: c.config.user, tty: c.config.tty },
          requested: c.hostConfig,
        },
        io,
      );
    } catch (err) {
      if (opts.sink) c.sinks.delete(opts.sink);
      // Docker: a process that cannot start leaves the container as it was (created, or
      // exited if it ran before) with the exit code 127/126; StartedAt stays as it was.
      const code = err instanceof ProcessStartError ? err.exitCode : 128;
      this.send(c, { type: 'container.start.failed', exitCode: code, firstRun: c.startedAt === null });
      if (err instanceof ProcessStartError) {
        throw new ContainerStartFailed(
          `failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: ${err.message}`,
          code,
        );
      }
      throw err;
    }
    c.startedAt = clock.now();
    c.finishedAt = null;
    c.pid = c.handle.pid ?? null;
    c.stopping = false;
    const handle = c.handle;
    // A detached container's exit is awaited by no command: a failure there (the runtime's
    // wait, its cleanup, an --rm removal) is reported, never left an unhandled rejection.
    c.exited = handle.wait().then((code) => this.onExit(c, code)).catch((error: unknown) => {
      this.deps.fail(error);
      return EXIT_HANDLING_FAILED;
    });
    // Docker: a short command (`run -d busybox true`) has exited by the next command — it
    // ends within the CLI's own round trip. The simulator's runtime knows at once (`ended`);
    // on a real one the start returns at once and the next command or state read waits,
    // up to that round trip from the start, for it to end (`settle`): a long-running
    // container costs nothing, and nothing can observe the difference.
    if (handle.ended?.()) await c.exited;
    else if (!handle.ended && !opts.sink) this.settling.add({ exited: c.exited, until: this.deps.clock.now() + CLI_ROUND_TRIP_MS });
  }

  /**
   * Waits until every detached process started within the CLI's round trip has ended or
   * that round trip has passed — what the next docker command would have waited for
   * Docker's CLI to come back. Called before each command and each state read.
   */
  async settle(): Promise<void> {
    if (this.settling.size === 0) return;
    const pending = [...this.settling];
    this.settling.clear();
    const now = this.deps.clock.now();
    await Promise.all(pending.map((p) => (p.until > now ? this.awaitExit(p.exited, p.until - now) : undefined)));
  }

  /** Waits for `exited`, at most `ms` of the engine's clock. */
  private async awaitExit(exited: Promise<number>, ms: number): Promise<void> {
    const abort = new AbortController();
    const timeout = this.deps.clock.sleep(ms, abort.signal).catch(() => undefined);
    await Promise.race([exited, timeout]);
    abort.abort();
  }

  private async onExit(c: ContainerRecord, exitCode: number): Promise<number> {
    c.handle = null;
    c.pid = null;
    await this.deps.runtime.delete(c.id).catch(() => undefined);
    c.finishedAt = this.deps.clock.now();
    this.send(c, { type: 'container.exit', exitCode });
    this.deps.emit({ type: 'container.changed', id: c.id });
    c.sinks.clear();
    if (c.hostConfig.autoRemove && this.containers.has(c.id) && statusOf(c) === 'exited') {
      await this.remove(c, { force: false });
    }
    return exitCode;
  }

  private processIO(c: ContainerRecord, stdin: AsyncIterable<Uint8Array> | undefined): ProcessIO {
    const write = (stream: 'stdout' | 'stderr') => (chunk: Uint8Array) => {
      // Called from the runtime's stream handlers: a throw here would escape to the process.
      try {
        // Docker: with a tty both streams are one (the pty's).
        const s = c.config.tty ? 'stdout' : stream;
        const text = c.logs.write(s, chunk);
        if (text !== '') for (const sink of c.sinks) sink[s](text);
      } catch (error) {
        this.deps.fail(error);
      }
    };
    return { stdout: write('stdout'), stderr: write('stderr'), ...(stdin ? { stdin } : {}) };
  }

  /** The client's terminal was resized: the running init's pty (`-t`) follows, where the runtime has one. */
  async resize(c: ContainerRecord, cols: number, rows: number): Promise<void> {
    await c.handle?.resize?.(cols, rows);
  }

  /** Waits for the current run to end; the exit code. */
  async wait(c: ContainerRecord): Promise<number> {
    if (c.exited) return c.exited;
    return c.machine.context.exitCode ?? 0;
  }

  async pause(c: ContainerRecord): Promise<void> {
    this.send(c, { type: 'container.pause' });
    await this.deps.runtime.pause(c.id);
  }

  async unpause(c: ContainerRecord): Promise<void> {
    this.send(c, { type: 'container.unpause' });
    await this.deps.runtime.resume(c.id);
  }

  /** `docker stop -t N -s SIG`: the stop signal (`-s`, else STOPSIGNAL, else TERM), then KILL after N seconds (Clock time). */
  async stop(c: ContainerRecord, { timeoutSeconds, signal }: StopOptions = { timeoutSeconds: undefined, signal: undefined }): Promise<void> {
    const status = statusOf(c);
    this.send(c, { type: 'container.stop' });
    if (status !== 'running' && status !== 'paused') return;
    c.stopping = true;
    const { runtime, clock } = this.deps;
    const exited = c.exited!;
    await runtime.kill(c.id, signal ?? (c.config.stopSignal as Signal | undefined) ?? DEFAULT_STOP_SIGNAL).catch(() => undefined);
    if (status === 'paused') await runtime.resume(c.id).catch(() => undefined);
    const seconds = timeoutSeconds ?? 10;
    if (seconds >= 0) {
      const abort = new AbortController();
      const timedOut = await Promise.race([
        exited.then(() => false),
        clock.sleep(seconds * 1000, abort.signal).then(
          () => true,
          () => false,
        ),
      ]);
      abort.abort();
      if (!timedOut) return;
    }
    await runtime.kill(c.id, 'SIGKILL').catch(() => undefined);
    await exited;
  }

  async kill(c: ContainerRecord, ref: string, signal: Signal): Promise<void> {
    const status = statusOf(c);
    this.send(c, { type: 'container.kill', ref });
    c.stopping = signal === 'SIGKILL' || signal === 'SIGTERM';
    await this.deps.runtime.kill(c.id, signal);
    if (status === 'paused') await this.deps.runtime.resume(c.id).catch(() => undefined);
    // Docker: `kill` with KILL returns once the container is gone.
    if (signal === 'SIGKILL' && c.exited) await c.exited;
  }

  async restart(c: ContainerRecord, options?: StopOptions): Promise<void> {
    await this.stop(c, options);
    this.send(c, { type: 'container.restart' });
    await this.start(c);
  }

  async remove(c: ContainerRecord, opts: { force: boolean }): Promise<void> {
    const status = statusOf(c);
    this.send(c, { type: 'container.remove', force: opts.force });
    if (status === 'running' || status === 'paused' || status === 'restarting') {
      c.stopping = true;
      await this.deps.runtime.kill(c.id, 'SIGKILL').catch(() => undefined);
      if (status === 'paused') await this.deps.runtime.resume(c.id).catch(() => undefined);
      if (c.exited) await c.exited.catch(() => undefined);
    }
    await this.deps.snapshotter.remove(c.snapshotKey);
    this.containers.delete(c.id);
    this.deps.emit({ type: 'container.removed', id: c.id });
  }

  /**
   * Ends every container whatever its state and frees what each holds in the runtime and
   * the snapshotter: the engine is going away (the sandbox server disposes a session's
   * engine and expects nothing it made to stay tracked).
   */
  async disposeAll(): Promise<void> {
    const { runtime, snapshotter } = this.deps;
    for (const c of [...this.containers.values()]) {
      c.stopping = true;
      if (c.handle) {
        await runtime.kill(c.id, 'SIGKILL').catch(() => undefined);
        await runtime.resume(c.id).catch(() => undefined);
        if (c.exited) await c.exited.catch(() => undefined);
      }
      // A created container has no runtime container, an exited one has had it deleted
      // at its exit; a start that failed half-way may have left one.
      await runtime.delete(c.id).catch(() => undefined);
      if (this.containers.delete(c.id)) {
        await snapshotter.remove(c.snapshotKey).catch(() => undefined);
        this.deps.emit({ type: 'container.removed', id: c.id });
      }
    }
  }

  /** `docker exec`: another process in the running container, once started. */
  async exec(
    c: ContainerRecord,
    process: { args: string[]; env: string[]; cwd?: string; user?: string; tty: boolean },
    io: ProcessIO,
    ref?: string,
  ): Promise<ProcessHandle> {
    this.send(c, { type: 'container.exec', ref });
    const handle = await this.deps.runtime.exec(
      c.id,
      processSpec(
        { args: process.args, env: c.config.env, cwd: process.cwd || c.config.workingDir, user: process.user || c.config.user, tty: process.tty },
        c.config.hostname,
        process.env,
      ),
      io,
    );
    const done = handle.wait().then((code) => {
      this.deps.emit({ type: 'container.changed', id: c.id });
      return code;
    });
    return {
      wait: () => done,
      ...(handle.signal ? { signal: (s: Signal) => handle.signal!(s) } : {}),
      ...(handle.resize ? { resize: (cols: number, rows: number) => handle.resize!(cols, rows) } : {}),
    };
  }

  // ---- filesystem ---------------------------------------------------------

  async diff(c: ContainerRecord): Promise<DiffEntry[]> {
    const upper = await this.deps.snapshotter.changes(c.snapshotKey);
    return containerDiff(upper, this.lowerPaths(c.image));
  }

  lowerPaths(image: ImageRecord): Set<string> {
    let paths = this.lowerCache.get(image);
    if (!paths) {
      const layers = image.chainIds.map((id) => this.deps.images.layers.get(id)).filter((l) => l !== undefined);
      paths = visiblePaths(layers);
      this.lowerCache.set(image, paths);
    }
    return paths;
  }

  /** Whether a container's layer sits on this chainID (so the layer must stay). */
  usesLayer(chainId: Digest): boolean {
    for (const c of this.containers.values()) if (c.image.chainIds.includes(chainId)) return true;
    return false;
  }

  usersOf(image: ImageRecord): ContainerRecord[] {
    return this.list().filter((c) => c.image === image);
  }

}
