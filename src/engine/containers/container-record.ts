import type { SnapshotFrom } from 'xstate';
import type { Mount } from '../drivers/snapshotter.js';
import type { ProcessHandle } from '../drivers/runtime.js';
import type { ImageRecord } from '../images/image-store.js';
import type { ContainerStatus } from '../state.js';
import { humanDuration } from '../format/duration.js';
import type { ContainerMachine } from './container.machine.js';
import type { ContainerLog } from './container-log.js';
import type { RequestedResources } from './resource-limits.js';

export type ContainerSnapshot = SnapshotFrom<ContainerMachine>;

export interface LogChunk {
  stream: 'stdout' | 'stderr';
  text: string;
}

/** Where a container's output goes while a client is attached. */
export interface OutputSink {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** A volume as a container holds it (moby's MountPoint): inspect's Mounts, the runtime's bind. */
export interface ContainerVolume {
  name: string;
  destination: string;
  readOnly: boolean;
  /** `-v`'s mode word (`z` by default for a named volume), `''` otherwise. */
  mode: string;
  /** The volume's directory (`Source`). */
  source: string;
  anonymous: boolean;
}

export interface ContainerRecord {
  id: string;
  name: string;
  /** The image as the user named it (`Config.Image`). */
  imageRef: string;
  image: ImageRecord;
  path: string;
  args: string[];
  config: {
    hostname: string;
    user: string;
    env: string[];
    cmd: string[] | null;
    entrypoint: string[] | null;
    workingDir: string;
    tty: boolean;
    openStdin: boolean;
    stdinOnce: boolean;
    attachStdin: boolean;
    attachStdout: boolean;
    attachStderr: boolean;
    labels: Record<string, string>;
    stopSignal: string | undefined;
  };
  hostConfig: { autoRemove: boolean } & RequestedResources;
  machine: ContainerSnapshot;
  created: number;
  startedAt: number | null;
  finishedAt: number | null;
  restartCount: number;
  /** The snapshotter key of the container layer (= the container ID). */
  snapshotKey: string;
  mounts: Mount[];
  /** Its volumes, in the order they were asked for. */
  volumes: ContainerVolume[];
  /** What `docker logs` shows: the last bytes of its output (bounded). */
  logs: ContainerLog;
  sinks: Set<OutputSink>;
  handle: ProcessHandle | null;
  /** Resolves when the current run of the init process has been recorded as exited. */
  exited: Promise<number> | null;
  pid: number | null;
  /** Set while `stop`/`kill`/`rm -f` is ending it: no auto-restart, no surprise. */
  stopping: boolean;
}

export function statusOf(c: ContainerRecord): ContainerStatus {
  return c.machine.value as ContainerStatus;
}

/** The daemon's `State.String()` (`docker ps` STATUS). */
export function statusText(c: ContainerRecord, now: number): string {
  const status = statusOf(c);
  switch (status) {
    case 'running':
      return `Up ${humanDuration(now - (c.startedAt ?? now))}`;
    case 'paused':
      return `Up ${humanDuration(now - (c.startedAt ?? now))} (Paused)`;
    case 'restarting':
      return `Restarting (${c.machine.context.exitCode ?? 0}) ${humanDuration(now - (c.finishedAt ?? now))} ago`;
    case 'removing':
      return 'Removal In Progress';
    case 'dead':
      return 'Dead';
    case 'created':
      return 'Created';
    case 'exited':
      return `Exited (${c.machine.context.exitCode ?? 0}) ${humanDuration(now - (c.finishedAt ?? now))} ago`;
  }
}

/** `Path` + `Args` as one line (the API's `Command`). Docker (daemon/list.go): an
 * argument holding a space is wrapped in single quotes, nothing else is escaped. */
export function commandLine(c: ContainerRecord): string {
  if (!c.args.length) return c.path;
  return `${c.path} ${c.args.map((a) => (a.includes(' ') ? `'${a}'` : a)).join(' ')}`;
}
