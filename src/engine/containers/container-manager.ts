import { transition } from 'xstate';
import type { Clock } from '../drivers/clock.js';
import type { ProcessHandle, ProcessIO, Runtime, Signal } from '../drivers/runtime.js';
import type { Snapshotter } from '../drivers/snapshotter.js';
import type { VolumeStore } from '../drivers/volume-store.js';
import { isAnonymous, VolumeTable } from '../volumes/volume-table.js';
import { VolumeInUse } from '../volumes/volume-errors.js';
import { containerVolumes, populateVolumes } from './container-volumes.js';
import type { Digest } from '../digest.js';
import { ProcessStartError } from '../errors.js';
import type { HostInfo } from '../engine.js';
import type { EngineEvent } from '../events.js';
import type { ImageRecord, ImageStore } from '../images/image-store.js';
import { containerMachine, type ContainerMachineEvent } from './container.machine.js';
import { ContainerStartFailed, ContainerStateError } from './container-errors.js';
import type { ContainerRecord, OutputSink } from './container-record.js';
import { statusOf } from './container-record.js';
import { ContainerDiffs, type DiffEntry } from './container-diff.js';
import { initIO, resizeInit } from './container-io.js';
import { ContainerTable } from './container-table.js';
import { newContainerRecord, requestedResources, type CreateContainerOptions } from './new-container.js';
import { resolveCommand } from './process-args.js';
import { checkResources, DEFAULT_RESOURCE_POLICY, type ResourcePolicy } from './resource-limits.js';
import { processSpec, startOnSnapshot } from './snapshot-process.js';

/** How `docker stop`/`restart` end a container's process. */
export interface StopOptions {
  timeoutSeconds: number | undefined;
  /** `--signal`, else the container's STOPSIGNAL. */
  signal: Signal | undefined;
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
 * The containers' lifecycle: each transition of their machine and the runtime/snapshotter
 * I/O it needs. One runtime container per run (containerd's task): created and started
 * on `start`, deleted when its process exits. Finding a container is `container-table.ts`'s
 * job, its streams `container-io.ts`'s, its record's making `new-container.ts`'s, its
 * `docker diff` `container-diff.ts`'s; the process itself starts as every snapshot's
 * process does (`snapshot-process.ts`).
 */
export class ContainerManager {
  /** Detached starts the next command or state read waits for (`settle`). */
  private readonly settling = new Set<{ exited: Promise<number>; until: number }>();
  private readonly table = new ContainerTable();
  private readonly diffs: ContainerDiffs;

  constructor(
    private readonly deps: {
      runtime: Runtime;
      snapshotter: Snapshotter;
      /** Where the session's volumes keep their files. */
      volumes: VolumeStore;
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
    this.diffs = new ContainerDiffs(deps);
    this.volumes = new VolumeTable({ store: deps.volumes, now: () => deps.clock.now(), random: deps.random, emit: deps.emit });
  }

  /** The session's volumes (`docker volume …`, `-v`). */
  readonly volumes: VolumeTable;

  /** IDs of the containers (in any state) that hold the volume: Docker refuses to remove it while there are any. */
  volumeUsers(name: string): string[] {
    return this.table
      .all()
      .filter((c) => c.volumes.some((v) => v.name === name))
      .map((c) => c.id);
  }

  /** `docker volume rm`: refused while a container holds it, in Docker's words. */
  async removeVolume(name: string): Promise<void> {
    this.volumes.get(name);
    const users = this.volumeUsers(name);
    if (users.length) throw new VolumeInUse(`remove ${name}: volume is in use - [${users.join(', ')}]`, { name, containers: users.join(', ') });
    await this.volumes.remove(name);
  }

  /** The limits every container and build step runs within (the backend's settings). */
  readonly resources: ResourcePolicy;

  // ---- lookup (container-table.ts) ------------------------------------------

  /** Docker's container lookup: full ID, exact name, then a unique ID prefix. */
  get(ref: string): ContainerRecord {
    return this.table.get(ref);
  }

  /** Newest first, as `docker ps` lists them. */
  list(): ContainerRecord[] {
    return this.table.list();
  }

  /** Whether a container's layer sits on this chainID (so the layer must stay). */
  usesLayer(chainId: Digest): boolean {
    return this.table.usesLayer(chainId);
  }

  usersOf(image: ImageRecord): ContainerRecord[] {
    return this.table.usersOf(image);
  }

  /** `docker diff` (container-diff.ts). */
  diff(c: ContainerRecord): Promise<DiffEntry[]> {
    return this.diffs.diff(c);
  }

  // ---- create -------------------------------------------------------------

  async create(opts: CreateContainerOptions): Promise<ContainerRecord> {
    const { snapshotter, clock, random } = this.deps;
    const command = resolveCommand(opts.image.config.config, opts.args, opts.entrypoint);
    checkResources(requestedResources(opts), this.resources);
    const requestedName = opts.name !== undefined ? this.table.checkName(opts.name) : undefined;
    const id = this.table.newId(random);
    const name = requestedName ?? this.table.newName(random);
    const volumes = await containerVolumes(this.volumes, opts.volumes ?? [], opts.image.config.config.Volumes);
    await populateVolumes(this.deps.volumes, snapshotter, opts.image.chainIds, volumes);
    const top = opts.image.chainIds[opts.image.chainIds.length - 1];
    const mounts = await snapshotter.prepare(id, top);
    const record = newContainerRecord(opts, { id, name, command, mounts, volumes, created: clock.now(), logBytes: this.deps.logBytes });
    this.table.add(record);
    this.deps.emit({ type: 'container.created', id, name, imageId: opts.image.id });
    return record;
  }

  // ---- transitions --------------------------------------------------------

  /** Applies a lifecycle event; throws Docker's error when the state refuses it. */
  private send(c: ContainerRecord, event: ContainerMachineEvent): void {
    const before = c.machine.value;
    const [next] = transition(containerMachine(), c.machine, event);
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
    const io = initIO(c, c.config.openStdin ? opts.stdin : undefined, this.deps.fail);
    try {
      c.handle = await startOnSnapshot(
        { runtime, host: this.deps.host, resources: this.resources },
        {
          id: c.id,
          hostname: c.config.hostname,
          rootfs: c.mounts,
          process: { args: [c.path, ...c.args], env: c.config.env, cwd: c.config.workingDir, user: c.config.user, tty: c.config.tty },
          requested: c.hostConfig,
          volumes: c.volumes.map((v) => ({ source: v.source, destination: v.destination, readOnly: v.readOnly })),
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
    c.exited = handle
      .wait()
      .then((code) => this.onExit(c, code))
      .catch((error: unknown) => {
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
    if (c.hostConfig.autoRemove && this.table.has(c.id) && statusOf(c) === 'exited') {
      // Docker: `run --rm` removes the container's anonymous volumes with it.
      await this.remove(c, { force: false, volumes: true });
    }
    return exitCode;
  }

  /** The client's terminal was resized: the running init's pty (`-t`) follows, where the runtime has one. */
  resize(c: ContainerRecord, cols: number, rows: number): Promise<void> {
    return resizeInit(c, cols, rows);
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

  /** `docker rm [-f] [-v]`: with `volumes`, the anonymous volumes no other container holds go too (named ones stay, as in Docker). */
  async remove(c: ContainerRecord, opts: { force: boolean; volumes?: boolean }): Promise<void> {
    const status = statusOf(c);
    this.send(c, { type: 'container.remove', force: opts.force });
    if (status === 'running' || status === 'paused' || status === 'restarting') {
      c.stopping = true;
      await this.deps.runtime.kill(c.id, 'SIGKILL').catch(() => undefined);
      if (status === 'paused') await this.deps.runtime.resume(c.id).catch(() => undefined);
      if (c.exited) await c.exited.catch(() => undefined);
    }
    await this.deps.snapshotter.remove(c.snapshotKey);
    this.table.delete(c.id);
    this.deps.emit({ type: 'container.removed', id: c.id });
    if (!opts.volumes) return;
    for (const v of c.volumes) {
      if (!v.anonymous || !this.volumes.has(v.name) || !isAnonymous(this.volumes.get(v.name))) continue;
      if (this.volumeUsers(v.name).length === 0) await this.volumes.remove(v.name);
    }
  }

  /**
   * Ends every container whatever its state and frees what each holds in the runtime and
   * the snapshotter: the engine is going away (the sandbox server disposes a session's
   * engine and expects nothing it made to stay tracked).
   */
  async disposeAll(): Promise<void> {
    const { runtime, snapshotter } = this.deps;
    for (const c of this.table.all()) {
      c.stopping = true;
      if (c.handle) {
        await runtime.kill(c.id, 'SIGKILL').catch(() => undefined);
        await runtime.resume(c.id).catch(() => undefined);
        if (c.exited) await c.exited.catch(() => undefined);
      }
      // A created container has no runtime container, an exited one has had it deleted
      // at its exit; a start that failed half-way may have left one.
      await runtime.delete(c.id).catch(() => undefined);
      if (this.table.delete(c.id)) {
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
}
