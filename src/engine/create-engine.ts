import type { Drivers, Engine, ExecOptions, CommandResult } from './engine.js';
import { isAnonymous } from './volumes/volume-table.js';
import type { EngineEvent } from './events.js';
import type { Mount } from './drivers/snapshotter.js';
import type { KernelMount } from './drivers/runtime.js';
import { parseMountInfoLine } from './format/mountinfo.js';
import type { Change } from './layer/change.js';
import type { Digest } from './digest.js';
import type { BuildState, ContainerState, HistoryState, MountView, StateSnapshot } from './state.js';
import { ContainerManager } from './containers/container-manager.js';
import type { ResourcePolicy } from './containers/resource-limits.js';
import { commandLine, statusOf, type ContainerRecord } from './containers/container-record.js';
import { ImageStore, layerFileOf } from './images/image-store.js';
import type { ContainerConfig, HistoryEntry } from './images/image-config.js';
import { baseImageConfig } from './base-image/base-image-config.js';
import { formatReference, parseReference } from './images/reference.js';
import type { Command } from './cli/command.js';
import { builtinCommands, commandTable } from './cli/commands/index.js';
import { dispatch } from './cli/dispatch.js';
import { CommandLimiter } from './cli/command-limits.js';
import type { EngineError } from './errors.js';
import { GO_ZERO_TIME, goTime } from './format/go-json.js';
import { BuildsInProgress, type BuildProgress } from './builder/builds-in-progress.js';
import { resolveLimits, type EngineLimits } from './limits.js';
import { lazy } from './lazy.js';

export type { EngineLimits } from './limits.js';

/** A base image the backend provides at start (`busybox:latest`), layers base first. */
export interface BaseImage {
  reference: string;
  layers: { diffId: Digest; size: number; changes: readonly Change[]; createdBy?: string }[];
  config: ContainerConfig;
  /** RFC 3339; the image's `created`. */
  created: string;
  history: HistoryEntry[];
  architecture?: string;
}

export interface EngineOptions {
  /** The images the backend provides (`busybox:latest`), or how to make them: unpacked when first needed (below). */
  baseImages?: readonly BaseImage[] | (() => readonly BaseImage[]);
  /** [0, 1) source for container IDs and names (default Math.random). */
  random?: () => number;
  /** More `docker` commands (the builder's `build`), by path. */
  commands?: readonly Command[];
  /** Every container's and build step's limits, and the session's ceiling (default: a lesson's). */
  resources?: ResourcePolicy;
  /** Bounds on what a learner's input can make the engine hold. */
  limits?: EngineLimits;
  /**
   * Work the engine does that no command awaits failed: a detached container's exit
   * handling, its output streams. The sandbox server marks the session failed; the
   * default logs it. Never an unhandled rejection that could stop the process.
   */
  onFailure?: (error: unknown) => void;
}

/** Wires the stores, the lifecycle and the CLI onto a backend's drivers. */
export async function createEngine(drivers: Drivers, options: EngineOptions = {}): Promise<Engine> {
  const listeners = new Set<(event: EngineEvent) => void>();
  let seq = 0;
  const emit = (event: EngineEvent) => {
    seq++;
    for (const l of listeners) l(event);
  };
  const images = new ImageStore(drivers.content, drivers.snapshotter);
  const limits = resolveLimits(options.limits);
  const containers = new ContainerManager({
    runtime: drivers.runtime,
    snapshotter: drivers.snapshotter,
    volumes: drivers.volumes,
    clock: drivers.clock,
    host: drivers.host,
    images,
    random: options.random ?? Math.random,
    emit,
    logBytes: limits.logBytes,
    fail: options.onFailure ?? ((error) => console.error('layerlab engine: background work failed', error)),
    ...(options.resources ? { resources: options.resources } : {}),
  });
  // The base images are unpacked when first needed — the first command, or the first state asked for — not as the
  // engine opens: a page's simulator takes keys ~20 ms sooner at 4× CPU throttling (issue 15's start), and its first
  // command does that work instead. Tagged at the time the engine opened, as they were when it did.
  const openedAt = drivers.clock.now();
  const baseLoaded = lazy(async () => {
    const bases = typeof options.baseImages === 'function' ? options.baseImages() : (options.baseImages ?? []);
    for (const base of bases) await loadBaseImage(images, base, openedAt);
  });
  const commands = commandTable([...builtinCommands, ...(options.commands ?? [])]);
  const builds = new BuildsInProgress();
  const limiter = new CommandLimiter(limits, () => containers.list().length);

  return {
    async exec(line: string, opts: ExecOptions = {}): Promise<CommandResult> {
      await baseLoaded();
      let stdout = '';
      let stderr = '';
      const out = (text: string) => {
        stdout += text;
        opts.stdout?.(text);
      };
      const err = (text: string) => {
        stderr += text;
        opts.stderr?.(text);
      };
      let error: EngineError | undefined;
      const fail = (e: EngineError) => void (error ??= e);
      emit({ type: 'command.started', command: line });
      const exitCode = await dispatch(line, commands, { drivers, images, containers, builds, limits, emit, out, err, fail, opts }, limiter);
      emit({ type: 'command.finished', command: line, exitCode });
      return { stdout, stderr, exitCode, ...(error ? { error: { code: error.code, details: { ...error.details } } } : {}) };
    },
    // A detached process that ends within the CLI's round trip is seen ended, as by a command.
    state: async () => {
      await baseLoaded();
      await containers.settle();
      return snapshot(drivers, images, containers, builds, seq);
    },
    workspace: drivers.workspace,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async dispose() {
      await containers.disposeAll();
      await drivers.runtime.dispose?.();
      listeners.clear();
    },
  };
}

async function loadBaseImage(images: ImageStore, base: BaseImage, now: number): Promise<void> {
  let parent: Digest | null = null;
  for (const layer of base.layers) {
    const { record } = await images.addLayer(parent, { ...layer, createdBy: layer.createdBy ?? '' });
    parent = record.chainId;
  }
  const { image } = await images.addImage(baseImageConfig(base));
  images.tag(image, formatReference(parseReference(base.reference)), now);
}

async function snapshot(
  drivers: Drivers,
  images: ImageStore,
  containers: ContainerManager,
  builds: BuildsInProgress,
  seq: number,
): Promise<StateSnapshot> {
  const running = builds.list();
  const state: StateSnapshot = {
    schemaVersion: 1,
    seq,
    backend: drivers.backend,
    images: [...images.images.values()].map((i) => ({
      id: i.id,
      repoTags: [...i.tags],
      created: i.config.created,
      size: i.size,
      diffIds: [...i.config.rootfs.diff_ids],
      chainIds: [...i.chainIds],
      history: i.config.history.map(historyState),
      config: {
        cmd: i.config.config.Cmd ?? null,
        entrypoint: i.config.config.Entrypoint ?? null,
        env: i.config.config.Env ?? [],
        workingDir: i.config.config.WorkingDir ?? '',
        user: i.config.config.User ?? '',
        labels: i.config.config.Labels ?? {},
        exposedPorts: Object.keys(i.config.config.ExposedPorts ?? {}),
      },
    })),
    layers: [...images.layers.values()].map((l) => ({
      diffId: l.diffId,
      chainId: l.chainId,
      parent: l.parent,
      size: l.size,
      createdBy: l.createdBy,
      files: l.files,
    })),
    containers: (await Promise.all(containers.list().map((c) => containerStateIfStill(drivers, containers, c)))).filter((c) => c !== null),
    volumes: containers.volumes.list().map((v) => ({ name: v.name, anonymous: isAnonymous(v), usedBy: containers.volumeUsers(v.name) })),
    // Only while a build runs, so snapshots between builds read as they always have.
    ...(running.length ? { builds: running.map(buildState) } : {}),
  };
  // Not parsed here: the engine's own snapshot is checked in its tests and where it crosses to
  // another program (remote-engine.ts); a parse of each in the page cost the widget's start (issue 15).
  return state;
}

function historyState(h: HistoryEntry): HistoryState {
  return {
    created: h.created ?? GO_ZERO_TIME,
    createdBy: h.created_by ?? '',
    emptyLayer: h.empty_layer === true,
    ...(h.comment !== undefined ? { comment: h.comment } : {}),
  };
}

function buildState(b: BuildProgress): BuildState {
  return {
    id: b.id,
    baseImageId: b.baseImageId,
    baseLayers: b.baseLayers,
    started: new Date(b.started).toISOString(),
    step: b.step,
    total: b.total,
    diffIds: [...b.diffIds],
    chainIds: [...b.chainIds],
    history: b.history.map(historyState),
  };
}

/**
 * A container's state, or null when it was removed while being read (a `run --rm` ending, a
 * `docker rm`): its snapshot is gone under the read, and the snapshot is of the containers
 * that are, not a failure of the whole picture. Any other failure is one.
 */
async function containerStateIfStill(drivers: Drivers, containers: ContainerManager, c: ContainerRecord): Promise<ContainerState | null> {
  try {
    return await containerState(drivers, containers, c);
  } catch (err) {
    if (!containers.list().includes(c)) return null;
    throw err;
  }
}

async function containerState(drivers: Drivers, containers: ContainerManager, c: ContainerRecord): Promise<ContainerState> {
  const upper = await drivers.snapshotter.changes(c.snapshotKey);
  // The init may exit between the record's pid and the read: then there is nothing to show.
  const namespaces = c.pid !== null && drivers.runtime.namespaces ? await drivers.runtime.namespaces(c.id).catch(() => undefined) : undefined;
  // The same race for the kernel's mount line: without one, the line is reconstructed and says so.
  const kernel = drivers.runtime.rootfsMountInfo ? await drivers.runtime.rootfsMountInfo(c.id).catch(() => null) : null;
  return {
    id: c.id,
    name: c.name,
    image: c.imageRef,
    imageId: c.image.id,
    command: commandLine(c),
    status: statusOf(c),
    exitCode: c.machine.context.exitCode,
    created: goTime(c.created),
    startedAt: c.startedAt === null ? null : goTime(c.startedAt),
    finishedAt: c.finishedAt === null ? null : goTime(c.finishedAt),
    changes: await containers.diff(c),
    upper: upper.map(layerFileOf),
    mount: mountView(
      c.mounts,
      drivers.backend === 'sim',
      drivers.runtime.rootfsLayout?.(c.id).mergedDir ?? `/run/layerlab/containers/${c.id}/rootfs`,
      kernel,
    ),
    pid: c.pid,
    ...(namespaces ? { namespaces } : {}),
    volumes: c.volumes.map((v) => ({ name: v.name, destination: v.destination, readOnly: v.readOnly })),
  };
}

/**
 * The container's rootfs mount: the kernel's own mountinfo line when the runtime could read
 * one, else reconstructed from the snapshot's mount (`readFrom: null`) in /proc/mounts's form.
 */
function mountView(mounts: readonly Mount[], simulated: boolean, mergedDir: string, kernel: KernelMount | null): MountView | null {
  const m = mounts[0];
  if (!m) return null;
  const parsed = kernel ? parseMountInfoLine(kernel.line) : null;
  const type = parsed?.fsType ?? m.type;
  const source = parsed?.source ?? m.source;
  const options = parsed?.superOptions ?? [...m.options];
  const opt = (name: string) => options.find((o) => o.startsWith(`${name}=`))?.slice(name.length + 1);
  const lower = opt('lowerdir');
  return {
    type,
    source,
    options,
    line: kernel && parsed ? kernel.line : `${m.source} ${mergedDir} ${m.type} ${m.options.join(',')} 0 0`,
    readFrom: kernel && parsed ? kernel.file : null,
    lowerDirs: lower ? lower.split(':') : type === 'bind' ? [source] : [],
    upperDir: opt('upperdir') ?? '',
    workDir: opt('workdir') ?? '',
    simulated,
  };
}
