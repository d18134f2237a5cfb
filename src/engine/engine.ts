import type { ContentStore } from './drivers/content-store.js';
import type { Snapshotter } from './drivers/snapshotter.js';
import type { Runtime } from './drivers/runtime.js';
import type { Clock } from './drivers/clock.js';
import type { Workspace } from './drivers/workspace.js';
import type { VolumeStore } from './drivers/volume-store.js';
import type { StateSnapshot } from './state.js';
import type { EngineEvent } from './events.js';

/** What a backend plugs into the engine. Nothing here names a platform. */
import type { LayerSource } from './drivers/layer-source.js';
import type { RegistryTransport } from './drivers/registry.js';

export interface Drivers {
  backend: 'sim' | 'linux';
  content: ContentStore;
  snapshotter: Snapshotter;
  runtime: Runtime;
  workspace: Workspace;
  /** The session's volumes' files (`docker volume`, `-v`). */
  volumes: VolumeStore;
  clock: Clock;
  /** What `docker version` / `docker info` / `uname` report about the host. */
  host: HostInfo;
  /** The bytes of layers described but not held (`external` content), for `docker save`. */
  layerSource?: LayerSource;
  /** The registry at `localhost:5000` (`docker push`/`pull`); without one they are refused. */
  registry?: RegistryTransport;
}

export interface HostInfo {
  kernelVersion: string;
  operatingSystem: string;
  architecture: string;
  hostname: string;
  cpus: number;
  memoryBytes: number;
  /** The host's resolv.conf, which containers' /etc/resolv.conf derives from (absent: the host has none). */
  resolvConf?: { path: string; content: string };
}

export interface ExecOptions {
  stdout?(text: string): void;
  stderr?(text: string): void;
  stdin?: AsyncIterable<Uint8Array>;
  /**
   * The client's terminal size, each change as it happens (the first: its size now). A
   * `-t` process's pty follows it, as Docker's CLI resizes the tty on SIGWINCH.
   */
  resize?: AsyncIterable<TerminalSize>;
  /** Ctrl-C: aborts a foreground command as docker's CLI does on SIGINT. */
  signal?: AbortSignal;
  /** Environment of the CLI (DOCKER_BUILDKIT, SOURCE_DATE_EPOCH). */
  env?: Record<string, string>;
}

export interface TerminalSize {
  cols: number;
  rows: number;
}

export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** The typed error the command failed with, when it was one: the UI explains it by `code`. */
  error?: CommandError;
  /** The output was cut on its way to the caller (the sandbox server's output cap), and the command stopped. */
  truncated?: boolean;
}

/** An `EngineError`'s stable code and the values its explanation may use. */
export interface CommandError {
  code: string;
  details: Readonly<Record<string, string | number>>;
}

export interface Engine {
  /** Runs one `docker …` command line; output streams through `opts` and is also returned. */
  exec(commandLine: string, opts?: ExecOptions): Promise<CommandResult>;
  state(): Promise<StateSnapshot>;
  /** Every change emits an event; returns the unsubscribe function. */
  subscribe(listener: (event: EngineEvent) => void): () => void;
  /** Stops every container and releases what the engine holds. */
  dispose(): Promise<void>;
  /** The build context (`docker build .` reads it): the editor writes its files here. */
  workspace?: Workspace;
}
