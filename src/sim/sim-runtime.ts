import type { Clock } from '../engine/drivers/clock.js';
import type {
  ContainerSpec,
  NamespaceInfo,
  ProcessHandle,
  ProcessIO,
  ProcessSpec,
  RootfsLayout,
  Runtime,
  RuntimeStatus,
  Signal,
} from '../engine/drivers/runtime.js';
import type { Mount } from '../engine/drivers/snapshotter.js';
import type { HostInfo } from '../engine/engine.js';
import { MountRefused, ProcessStartError, RuntimeContainerNotFound, RuntimeStateError } from '../engine/errors.js';
import { BindMountFs, mountPointLayer } from './bind-mount-fs.js';
import { ProcFs } from './proc-fs.js';
import { VolumeMountFs, type VolumeBind } from './volume-mount-fs.js';
import { SimFsError } from './sim-fs.js';
import type { Layer } from './layer-tree.js';
import type { SimFs } from './sim-fs.js';
import { ProcessTable, signalOf, type SimProcess } from './process/process-table.js';
import { SimHostIds } from './sim-host-ids.js';
import { lookupCommand, runCommand } from './process/exec.js';
import { statusOfError, untilKilled } from './process/exit-status.js';
import { ttyInput } from './process/tty-input.js';
import { Input, toBytes, type Output } from './process/streams.js';
import type { AppletContext, ContainerContext } from './process/context.js';
import { Freezer } from './process/freezer.js';
import { resolvePath } from './applets/util.js';
import { resolveProcessUser, type ProcessUser } from '../engine/containers/process-user.js';

export interface SimRuntimeOptions {
  /** The union view of the rootfs mounts; `init` is a lower right below the upper (Docker's init layer). */
  openRootfs(mounts: Mount[], init?: Layer): SimFs;
  /** A volume's tree by the source its store gave (`ContainerSpec.volumes`): the simulator's bind mount. */
  openVolume?(source: string): SimFs | undefined;
  clock: Clock;
  host: HostInfo;
}

interface SimContainer {
  spec: ContainerSpec;
  io: ProcessIO;
  status: RuntimeStatus;
  ctx: ContainerContext;
  init?: SimProcess;
  /** Made when it starts, as runc unshares them; the init's, so the container's. */
  namespaces?: NamespaceInfo[];
  /** Signals sent while frozen: a frozen task takes them when it is thawed (cgroup v1 freezer). */
  pending: Signal[];
  /** The init's user, resolved at create as runc's config.json has it. */
  user: ProcessUser;
}

/** Where the simulator's state seems to live (the Linux backend's state dir). */
export const SIM_STATE_DIR = '/var/lib/layerlab';
/** Promise-job turns a new init may take before `start` returns: `sh -c 'exit 3'` needs a few hundred. */
const START_TURNS = 5_000;

/**
 * The OCI runtime of the simulator: a container is a PID namespace of async processes
 * on the union view of its rootfs. State rules follow runc: start only a created
 * container, pause/exec only a running one, kill a running or paused one, delete only a
 * stopped (or created) one.
 */
export class SimRuntime implements Runtime {
  readonly #containers = new Map<string, SimContainer>();
  readonly #hostIds = new SimHostIds();

  constructor(private readonly opts: SimRuntimeOptions) {}

  async create(spec: ContainerSpec, io: ProcessIO): Promise<void> {
    if (this.#containers.has(spec.id)) throw new RuntimeStateError(`container with id exists: ${spec.id}`, { id: spec.id });
    const { clock, host } = this.opts;
    const ctx: ContainerContext = {
      fs: this.rootfs(spec),
      clock,
      host,
      hostname: spec.hostname,
      processes: new ProcessTable(() => clock.now()),
      freezer: new Freezer(),
    };
    const user = resolveUser(ctx.fs, spec.process.user);
    this.#containers.set(spec.id, { spec, io, status: 'created', ctx, pending: [], user });
  }

  async start(id: string): Promise<ProcessHandle> {
    const c = this.get(id);
    if (c.status !== 'created')
      throw new RuntimeStateError(`cannot start a container that has ${c.status === 'stopped' ? 'stopped' : 'already started'}`, {
        id,
        status: c.status,
      });
    let run: { proc: SimProcess; done: Promise<number> };
    try {
      run = this.spawn(c, c.spec.process, c.io, c.user);
    } catch (e) {
      c.status = 'stopped';
      throw e;
    }
    c.init = run.proc;
    c.namespaces = this.#hostIds.namespaces();
    c.status = 'running';
    let ended = false;
    const done = run.done.then((code) => {
      ended = true;
      c.status = 'stopped';
      c.ctx.freezer.resume();
      // Linux: when a PID namespace's init exits, the kernel SIGKILLs the rest.
      c.ctx.processes.killAll();
      return code;
    });
    // A real process runs while runc returns and the CLI prints the ID: one that never
    // waits (on time, input, a signal) has ended by then. The simulator's runs as promise
    // jobs only, so it is given those turns, bounded, before start returns.
    for (let turn = 0; turn < START_TURNS && !ended; turn++) await Promise.resolve();
    return { pid: this.#hostIds.pid(), wait: () => done, ended: () => ended };
  }

  async kill(id: string, signal: Signal): Promise<void> {
    const c = this.get(id);
    // runc: a paused container can be signalled; the frozen process acts on it when thawed.
    if (c.status === 'paused') {
      c.pending.push(signal);
      return;
    }
    if (c.status !== 'running' || !c.init) throw new RuntimeStateError('container not running', { id, status: c.status });
    c.init.deliver(signalOf(signal));
  }

  async pause(id: string): Promise<void> {
    const c = this.get(id);
    if (c.status !== 'running') throw new RuntimeStateError('container not running', { id, status: c.status });
    c.ctx.freezer.pause();
    c.status = 'paused';
  }

  async resume(id: string): Promise<void> {
    const c = this.get(id);
    if (c.status !== 'paused') throw new RuntimeStateError('container not paused', { id, status: c.status });
    c.status = 'running';
    c.ctx.freezer.resume();
    for (const signal of c.pending.splice(0)) c.init?.deliver(signalOf(signal));
  }

  async exec(id: string, process: ProcessSpec, io: ProcessIO): Promise<ProcessHandle> {
    const c = this.get(id);
    if (c.status === 'paused') throw new RuntimeStateError('container is paused', { id, status: c.status });
    if (c.status !== 'running') throw new RuntimeStateError('container not running', { id, status: c.status });
    const { proc, done } = this.spawn(c, process, io, resolveUser(c.ctx.fs, process.user));
    return { pid: this.#hostIds.pid(), wait: () => done, signal: async (signal) => proc.deliver(signalOf(signal)) };
  }

  async namespaces(id: string): Promise<NamespaceInfo[]> {
    const c = this.get(id);
    if ((c.status !== 'running' && c.status !== 'paused') || !c.namespaces)
      throw new RuntimeStateError('container not running', { id, status: c.status });
    return c.namespaces.map((n) => ({ ...n }));
  }

  /** Simulated paths, laid out as the Linux backend's bundles (beside the memory snapshotter's `/var/lib/layerlab/snapshots`). */
  rootfsLayout(id: string): RootfsLayout {
    const bundle = `${SIM_STATE_DIR}/bundles/${id}`;
    return { initDir: `${bundle}/init`, mergedDir: `${bundle}/rootfs` };
  }

  async state(id: string): Promise<{ status: RuntimeStatus; pid?: number }> {
    return { status: this.get(id).status };
  }

  async delete(id: string): Promise<void> {
    const c = this.get(id);
    if (c.status === 'running' || c.status === 'paused')
      throw new RuntimeStateError(`cannot delete container ${id} that is not stopped: ${c.status}`, { id, status: c.status });
    this.#containers.delete(id);
  }

  /** The rootfs with the spec's files bind-mounted over it, their mount points in an init layer, as runc's mounts make it. */
  private rootfs(spec: ContainerSpec): SimFs {
    const files = spec.etcFiles ?? [];
    const now = () => this.opts.clock.now();
    const init =
      files.length === 0
        ? undefined
        : mountPointLayer(
            files.map((f) => f.path),
            now(),
          );
    const fs = this.volumeMounted(spec, this.opts.openRootfs(spec.rootfs, init));
    if (files.length === 0) return fs;
    // runc makes a bind's mount point where it is missing — in a volume over /etc, an empty 0755 file there.
    for (const f of files) if (!fs.exists(f.path)) fs.writeFile(f.path, new Uint8Array(), { mode: 0o755 });
    // Mounts go parents first (moby sortMounts): the etc files are bound over a volume at /etc, never hidden by it.
    const binds = files.map((f) => ({ path: f.path, bytes: new TextEncoder().encode(f.content) }));
    return new BindMountFs(fs, binds, now);
  }

  /** The rootfs with the spec's volumes mounted over it, as runc's binds (the init layer's etc mount points below). */
  private volumeMounted(spec: ContainerSpec, fs: SimFs): SimFs {
    const volumes = spec.volumes ?? [];
    if (volumes.length === 0) return fs;
    const binds: VolumeBind[] = [];
    // The spec lists parents first; each mount point is made as runc makes it (MkdirAll
    // 0755, in whatever is mounted there by then — the container's layer, or a volume above).
    for (const v of volumes) {
      const volume = this.opts.openVolume?.(v.source);
      if (!volume) throw new RuntimeStateError(`volume source does not exist: ${v.source}`, { source: v.source });
      const mounted = new VolumeMountFs(fs, binds);
      mkdirAll(mounted, v.destination);
      // runc: the destination is resolved inside the rootfs (securejoin), so a link there leads to where it
      // points — and checkProcMount refuses a bind that lands on /proc or /sys (or beneath) there.
      const destination = mounted.realpath(v.destination);
      const kernelFs = ['/proc', '/sys'].find((p) => destination === p || destination.startsWith(`${p}/`));
      if (kernelFs)
        throw new MountRefused(
          `failed to create task for container: error during container init: error mounting "${v.source}" to rootfs at "${v.destination}": "${this.rootfsLayout(spec.id).mergedDir}${destination}" cannot be mounted because it is not of type ${kernelFs.slice(1)}`,
        );
      binds.push({ destination, fs: volume, readOnly: v.readOnly });
    }
    return new VolumeMountFs(fs, binds);
  }

  private get(id: string): SimContainer {
    const c = this.#containers.get(id);
    if (!c) throw new RuntimeContainerNotFound(`container does not exist: ${id}`, { id });
    return c;
  }

  /** execve() of a process in the container: resolves argv[0] on PATH first, as runc does before it starts anything. */
  private spawn(c: SimContainer, p: ProcessSpec, io: ProcessIO, user: ProcessUser): { proc: SimProcess; done: Promise<number> } {
    const env = new Map<string, string>();
    for (const kv of p.env) {
      const eq = kv.indexOf('=');
      if (eq > 0) env.set(kv.slice(0, eq), kv.slice(eq + 1));
    }
    const argv = p.args;
    const name = argv[0];
    if (!name) throw new ProcessStartError('exec: "": executable file not found in $PATH', 127);
    const cwd = resolvePath('/', p.cwd || '/');
    const found = lookupCommand(c.ctx.fs, name, env.get('PATH'), cwd);
    if (found.kind === 'notfound') {
      throw new ProcessStartError(
        name.includes('/') ? `exec: "${name}": stat ${name}: no such file or directory` : `exec: "${name}": executable file not found in $PATH`,
        127,
      );
    }
    if (found.kind === 'denied') throw new ProcessStartError(`exec: "${name}": permission denied`, 126);
    const { uid, gid, additionalGids: groups } = user;
    const proc = c.ctx.processes.spawn(argv, 0, uid);
    const out = outputs(io, p.terminal);
    const stdin = p.terminal && io.stdin ? ttyInput(io.stdin, proc, c.ctx.processes, (text) => out.stdout.write(text)) : io.stdin;
    const actx: AppletContext = {
      argv,
      env,
      cwd,
      stdin: new Input(stdin),
      stdout: out.stdout,
      stderr: out.stderr,
      signal: proc.signal,
      proc,
      uid,
      gid,
      groups,
      // procfs answers each process with its own /proc/self.
      container: { ...c.ctx, fs: new ProcFs(c.ctx.fs, c.ctx.processes, proc.pid, () => this.opts.clock.now()) },
    };
    const done = (async () => {
      try {
        return await untilKilled(runCommand(actx, found, false), proc);
      } catch (e) {
        if (e instanceof ProcessStartError) {
          actx.stderr.write(`${e.message}\n`);
          return e.exitCode;
        }
        return statusOfError(e, actx);
      } finally {
        c.ctx.processes.exit(proc);
        out.close();
      }
    })();
    return { proc, done };
  }
}

/** `--user` by the engine's one rule (process-user.ts), against the container's own passwd and group files. */
function resolveUser(fs: SimFs, user: string | undefined): ProcessUser {
  return resolveProcessUser(user, readText(fs, '/etc/passwd'), readText(fs, '/etc/group'));
}

function readText(fs: SimFs, path: string): string | undefined {
  try {
    return new TextDecoder().decode(fs.readFile(path));
  } catch {
    return undefined;
  }
}

/**
 * The process's stdout/stderr. With a terminal (`-t`) both go to the one pty, whose
 * line discipline turns "\n" into "\r\n" (ONLCR). After exit, late writes are dropped.
 */
function outputs(io: ProcessIO, terminal: boolean): { stdout: Output; stderr: Output; close(): void } {
  let open = true;
  if (terminal) {
    const tty: Output = {
      isTTY: true,
      write(d) {
        if (!open) return;
        const text = typeof d === 'string' ? d : new TextDecoder().decode(d);
        io.stdout(toBytes(text.replace(/\r?\n/g, '\r\n')));
      },
    };
    return { stdout: tty, stderr: tty, close: () => (open = false) };
  }
  return {
    stdout: { isTTY: false, write: (d) => open && io.stdout(toBytes(d)) },
    stderr: { isTTY: false, write: (d) => open && io.stderr(toBytes(d)) },
    close: () => (open = false),
  };
}

/** `mkdir -p` as runc's MkdirAll makes a mount point: 0755, an existing dir kept. */
function mkdirAll(fs: SimFs, path: string): void {
  let at = '';
  for (const part of path.split('/').filter(Boolean)) {
    at += `/${part}`;
    try {
      fs.mkdir(at, { mode: 0o755 });
    } catch (e) {
      if (!(e instanceof SimFsError) || e.code !== 'EEXIST') throw e;
    }
  }
}
