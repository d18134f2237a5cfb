import type { EtcFile } from '../containers/etc-files.js';
import type { Mount } from './snapshotter.js';

/** What a process writes: called as output is produced, so it can be streamed. */
export interface ProcessIO {
  stdout(chunk: Uint8Array): void;
  stderr(chunk: Uint8Array): void;
  /** Input for the process, or none (stdin is then /dev/null). */
  stdin?: AsyncIterable<Uint8Array>;
}

export interface ProcessSpec {
  /** argv, already resolved from ENTRYPOINT + CMD. */
  args: string[];
  /** `KEY=value` strings. */
  env: string[];
  cwd: string;
  /** `uid[:gid]` or a user name resolved inside the container; default root. */
  user?: string;
  /** Allocate a pty (`-t`). */
  terminal: boolean;
}

export interface ResourceLimits {
  /** Memory with swap included: the process never swaps past it. */
  memoryBytes?: number;
  /** Memory + swap when the learner allows swap beyond the memory (`--memory-swap`); else `memoryBytes`. */
  memorySwapBytes?: number;
  pids?: number;
  /** CFS quota in CPUs (`--cpus`). */
  cpus?: number;
  cpuShares?: number;
}

export interface RootfsLayout {
  /** The init layer (initLayerEntries), the lowerdir right below the container's upper. */
  initDir: string;
  /** The rootfs's mount point. */
  mergedDir: string;
}

/** An OCI runtime's view of a container (the OCI runtime spec's `state`). */
export type RuntimeStatus = 'created' | 'running' | 'paused' | 'stopped';

/** A volume in a container (runc's `"type": "bind"` mount of the `VolumeStore`'s directory over `destination`). */
export interface VolumeMount {
  /** The store's directory for the volume (`VolumeStore.create`). */
  source: string;
  /** Absolute and clean inside the container; never /, /proc, /sys or /dev (mount-request.ts). */
  destination: string;
  readOnly: boolean;
}

export interface ContainerSpec {
  id: string;
  hostname: string;
  /** The rootfs, as the snapshotter described it. */
  rootfs: Mount[];
  process: ProcessSpec;
  limits: ResourceLimits;
  /**
   * Files bind-mounted over the rootfs, outside the container's layer (Docker's
   * /etc/resolv.conf, /etc/hostname, /etc/hosts). The runtime also gives each one a mount
   * point below the layer — Docker's init layer — so the layer stays clean.
   */
  etcFiles?: EtcFile[];
  /** Volumes over the rootfs, parents before children; the runtime makes each mount point in the container's layer, as runc does. */
  volumes?: VolumeMount[];
}

export interface ProcessHandle {
  /** Resolves with the exit status: the code, or 128 + signal number when killed. */
  wait(): Promise<number>;
  /** Host PID, where the backend has one. */
  pid?: number;
  /** Sends a signal to this process (an exec'd one: `Runtime.kill` reaches only init). */
  signal?(signal: Signal): Promise<void>;
  /** Sets the size of the process's pty (`-t`): the client's terminal was resized. */
  resize?(cols: number, rows: number): Promise<void>;
  /** True once the process has ended, where the runtime knows without waiting (the simulator). */
  ended?(): boolean;
}

export type NamespaceType = 'pid' | 'net' | 'mnt' | 'uts' | 'ipc' | 'cgroup' | 'user';

/** One namespace of a process: its inode, and the host's for the same type (null when unreadable). */
/** The kernel's own record of a container's rootfs mount: a line of mountinfo and the file it came from. */
export interface KernelMount {
  /** The line verbatim, as proc(5) writes it. */
  line: string;
  /** `/proc/<init pid>/mountinfo` (the container's mount namespace, mount point `/`) or the server's own (`/proc/<pid>/mountinfo`, the rootfs's mount point) before the init runs. */
  file: string;
}

export interface NamespaceInfo {
  type: NamespaceType;
  inode: number;
  hostInode: number | null;
}

export type Signal = 'SIGTERM' | 'SIGKILL' | 'SIGINT' | 'SIGHUP' | 'SIGQUIT' | 'SIGUSR1' | 'SIGUSR2' | 'SIGSTOP' | 'SIGCONT';

/**
 * The OCI runtime lifecycle (create → start → kill → delete) plus pause/resume and exec.
 * `create` sets the container up without running its process; `start` runs it.
 */
export interface Runtime {
  create(spec: ContainerSpec, io: ProcessIO): Promise<void>;
  /** Starts the init process; the handle resolves when it exits. */
  start(id: string): Promise<ProcessHandle>;
  kill(id: string, signal: Signal): Promise<void>;
  pause(id: string): Promise<void>;
  resume(id: string): Promise<void>;
  /** Runs another process in a running container. */
  exec(id: string, process: ProcessSpec, io: ProcessIO): Promise<ProcessHandle>;
  state(id: string): Promise<{ status: RuntimeStatus; pid?: number }>;
  /**
   * The running (or paused) init's namespaces next to the host's, for the "under the
   * hood" picture. Optional: a runtime that cannot tell leaves it out.
   */
  namespaces?(id: string): Promise<NamespaceInfo[]>;
  /**
   * Where this runtime keeps a container's init layer and mounts its rootfs: the part of
   * overlay2's `GraphDriver.Data` the snapshot's mounts do not name (its first LowerDir,
   * its MergedDir). Paths only, the same before the container starts as while it runs.
   */
  rootfsLayout?(id: string): RootfsLayout;
  /**
   * The rootfs mount as the kernel records it, read from the kernel — not from the
   * snapshotter's description — for the "under the hood" picture. Optional: a runtime
   * with no kernel to ask (the simulator) leaves it out; null when the kernel has no line.
   */
  rootfsMountInfo?(id: string): Promise<KernelMount | null>;
  /** Removes a stopped (or created) container; the rootfs mounts are the caller's. */
  delete(id: string): Promise<void>;
  /** Releases what the runtime holds beyond its containers (the session's cgroup); the engine's last call. */
  dispose?(): Promise<void>;
}
