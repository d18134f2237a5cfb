import { initialTransition } from 'xstate';
import type { Mount } from '../drivers/snapshotter.js';
import type { MountRequest } from '../volumes/mount-request.js';
import type { ImageRecord } from '../images/image-store.js';
import { containerMachine } from './container.machine.js';
import { ContainerLog } from './container-log.js';
import type { ContainerRecord, ContainerVolume } from './container-record.js';
import { mergeEnv, type ResolvedCommand } from './process-args.js';
import type { RequestedResources } from './resource-limits.js';

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
  /** `-v` and `--mount` (the image's VOLUMEs are added at create). */
  volumes?: MountRequest[];
}

/** What the learner asked for, as Docker's HostConfig holds it (0 / null: not set). */
export function requestedResources(opts: CreateContainerOptions): RequestedResources {
  return { memory: opts.memory ?? 0, memorySwap: opts.memorySwap ?? 0, pidsLimit: opts.pidsLimit ?? null, nanoCpus: opts.nanoCpus ?? 0 };
}

/**
 * The record `docker create` makes: the command (`resolveCommand`, asked first, since a
 * missing one is refused before anything is made) and the options over the image's
 * config (env merged, labels merged); created, not run yet.
 */
export function newContainerRecord(
  opts: CreateContainerOptions,
  made: { id: string; name: string; command: ResolvedCommand; mounts: Mount[]; volumes: ContainerVolume[]; created: number; logBytes: number },
): ContainerRecord {
  const { id, name } = made;
  const imageConfig = opts.image.config.config;
  const { entrypoint, cmd, argv } = made.command;
  const [machine] = initialTransition(containerMachine(), { id, name });
  return {
    id,
    name,
    imageRef: opts.imageRef,
    image: opts.image,
    path: argv[0]!,
    args: argv.slice(1),
    config: {
      hostname: opts.hostname ?? id.slice(0, 12),
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
    hostConfig: { autoRemove: opts.autoRemove, ...requestedResources(opts) },
    machine,
    created: made.created,
    startedAt: null,
    finishedAt: null,
    restartCount: 0,
    snapshotKey: id,
    mounts: made.mounts,
    volumes: made.volumes,
    logs: new ContainerLog(made.logBytes),
    sinks: new Set(),
    handle: null,
    exited: null,
    pid: null,
    stopping: false,
  };
}
