import type { ContainerSpec, ProcessHandle, ProcessIO, ProcessSpec, Runtime, VolumeMount } from '../drivers/runtime.js';
import type { Mount } from '../drivers/snapshotter.js';
import type { HostInfo } from '../engine.js';
import { etcFilesOn } from './etc-files.js';
import { mergeEnv, processEnv } from './process-args.js';
import { containerLimits, type RequestedResources, type ResourcePolicy } from './resource-limits.js';

/**
 * The one way a process is run on a snapshot: `docker run`/`start`'s init, `docker exec`'s
 * process and a build's RUN all get their environment, working directory, user, limits
 * and etc files here, so what a RUN step sees cannot drift from what `docker run` sees
 * (Docker: the classic builder runs each RUN in an ordinary container).
 */

/** A process as the container's config describes it, before Docker's daemon adds its part. */
export interface ConfiguredProcess {
  args: string[];
  /** The container's Env: the daemon puts PATH and HOSTNAME (TERM with a tty) before it, HOME after. */
  env: readonly string[];
  /** '' is `/`. */
  cwd: string;
  /** `uid[:gid]` or a name the runtime resolves in the container; '' is root. */
  user: string;
  tty: boolean;
}

/** The runtime's process: `extraEnv` (`docker exec -e`) goes over what the daemon made. */
export function processSpec(p: ConfiguredProcess, hostname: string, extraEnv: readonly string[] = []): ProcessSpec {
  return {
    args: p.args,
    env: mergeEnv(processEnv(p.env, hostname, p.tty), extraEnv),
    cwd: p.cwd || '/',
    user: p.user || undefined,
    terminal: p.tty,
  };
}

/** An init process on a snapshot's mounts. */
export interface SnapshotProcess {
  id: string;
  hostname: string;
  rootfs: Mount[];
  process: ConfiguredProcess;
  /** What the learner asked for (a build step asks for nothing, `NO_REQUESTED_RESOURCES`); the policy's defaults fill in. */
  requested: RequestedResources;
  /** `docker run -v`'s volumes (a build step has none). */
  volumes?: VolumeMount[];
}

export interface SnapshotProcessDeps {
  runtime: Runtime;
  host?: HostInfo | undefined;
  /** The backend's defaults and the session's ceiling. */
  resources: ResourcePolicy;
}

export function snapshotContainerSpec(p: SnapshotProcess, deps: Omit<SnapshotProcessDeps, 'runtime'>): ContainerSpec {
  return {
    id: p.id,
    hostname: p.hostname,
    rootfs: p.rootfs,
    process: processSpec(p.process, p.hostname),
    limits: containerLimits(p.requested, deps.resources),
    // Written afresh at every start: a restart undoes a learner's edits. Each runtime
    // binds them over mount points in the init layer (init-layer.ts), below the upper.
    etcFiles: etcFilesOn(p.hostname, deps.host),
    // moby sortMounts: a parent's mount before its children's, so a child is not hidden under it.
    ...(p.volumes?.length ? { volumes: [...p.volumes].sort((a, b) => depth(a.destination) - depth(b.destination)) } : {}),
  };
}

/**
 * Creates the runtime container and starts its process; a start that fails deletes the
 * runtime container again (the snapshot stays the caller's). `onCreated` runs in between:
 * a build says "Running in" there, before the process can write.
 */
export async function startOnSnapshot(deps: SnapshotProcessDeps, p: SnapshotProcess, io: ProcessIO, onCreated?: () => void): Promise<ProcessHandle> {
  const { runtime } = deps;
  try {
    await runtime.create(snapshotContainerSpec(p, deps), io);
    onCreated?.();
    return await runtime.start(p.id);
  } catch (err) {
    await runtime.delete(p.id).catch(() => undefined);
    throw err;
  }
}

function depth(path: string): number {
  return path.split('/').length;
}
