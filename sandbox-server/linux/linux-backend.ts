import { existsSync } from 'node:fs';
import { DirVolumeStore } from './dir-volume-store.js';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_RESOURCE_POLICY, type ResourceAmounts } from '../../src/engine/containers/resource-limits.js';
import type { ContentStore } from '../../src/engine/drivers/content-store.js';
import type { HostInfo } from '../../src/engine/engine.js';
import { createLimitedCgroup, removeCgroupTree, sessionCgroupPath } from './cgroups.js';
import { attachBaseImage, buildBaseImage, type BaseImageLayer } from './base-image.js';
import { ResourceTracker, removeLeftovers, type CleanupReport } from './cleanup.js';
import { scanLeftovers } from './leftover-scan.js';
import { FsContentStore } from './fs-content-store.js';
import { SharedBaseContentStore } from './shared-content-store.js';
import { hostInfo } from './host-info.js';
import { describeUserNamespace, userNamespaceSetting, type IdMapping } from './id-mapping.js';
import { shareWithMappedRoot } from './mapped-root-access.js';
import { OciRuntime } from './oci-runtime.js';
import { DEFAULT_OUTPUT_BYTES_PER_SECOND, OutputPace } from './output-pace.js';
import { OverlaySnapshotter } from './overlay-snapshotter.js';
import { detectRuntime, type RuntimeAttempt, type RuntimeDetection } from './runtime-detect.js';

/** Where the Linux backend keeps its shared state under the server's state dir. */
export function linuxPaths(stateDir: string) {
  return {
    /** busybox:latest: the shared read-only layer dir and its tar. */
    base: join(stateDir, 'base'),
    /** The journal of every mount, cgroup, container and process we made (cleanup.ts). */
    tracked: join(stateDir, 'tracked'),
    /** Which OCI runtime setup saw run a container. */
    runtimeFile: join(stateDir, 'runtime.json'),
    probe: join(stateDir, 'probe'),
  };
}

export function hostBusybox(): string {
  const found = ['/bin/busybox', '/usr/bin/busybox'].find((p) => existsSync(p));
  if (!found) throw new Error('busybox-static is not installed (apt-get install busybox-static)');
  return found;
}

/**
 * What `npm start`'s setup step does: clean up after a crash, build the base image, find a
 * runtime — all for the user namespace of `LAYERLAB_USERNS` (id-mapping.ts), into which
 * the state dir is opened for the mapped root (mapped-root-access.ts).
 */
export async function setupLinuxBackend(
  stateDir: string,
  ids = userNamespaceSetting(),
): Promise<{ leftovers: CleanupReport; base: BaseImageLayer; detection: RuntimeDetection }> {
  const paths = linuxPaths(stateDir);
  const earlier = await readDetection(paths.runtimeFile);
  const leftovers = await removeLeftovers(new ResourceTracker(paths.tracked), await scanLeftovers({ stateDir, runtime: earlier?.runtime?.path }));
  const busybox = hostBusybox();
  await mkdir(stateDir, { recursive: true });
  await shareWithMappedRoot(stateDir, stateDir, ids);
  const base = await buildBaseImage({ root: paths.base, busybox, ids });
  const detection = await detectRuntime({ workDir: paths.probe, busybox, ids });
  await writeFile(`${paths.runtimeFile}.tmp`, JSON.stringify(detection, null, 1));
  await rename(`${paths.runtimeFile}.tmp`, paths.runtimeFile);
  return { leftovers, base, detection };
}

/** What setup saw run a container; undefined (setup runs again) when absent or damaged. */
async function readDetection(file: string): Promise<RuntimeDetection | undefined> {
  return readFile(file, 'utf8')
    .then(
      (text) => JSON.parse(text) as RuntimeDetection,
      () => undefined,
    )
    .catch((error: unknown) => {
      console.warn(`${file} could not be read (${(error as Error).message}); detecting the runtime again`);
      return undefined;
    });
}

export interface SessionBackend {
  content: ContentStore;
  snapshotter: OverlaySnapshotter;
  runtime: OciRuntime;
  volumes: DirVolumeStore;
}

/** A session's own bounds beside its cgroup ceiling. */
export interface SessionBackendOptions {
  /** How fast its containers' output is read (output-pace.ts; default DEFAULT_OUTPUT_BYTES_PER_SECOND). */
  outputBytesPerSecond?: number;
}

export interface LinuxBackend {
  base: BaseImageLayer;
  /** The user namespace every container runs in; undefined with LAYERLAB_USERNS=off. */
  ids: IdMapping | undefined;
  runtime: RuntimeAttempt;
  host: HostInfo;
  tracker: ResourceTracker;
  /** Removes what a crashed run left: what the journal names and what a scan finds (leftover-scan.ts). */
  sweepLeftovers(): Promise<CleanupReport>;
  /** The content store, snapshotter (with busybox:latest attached) and runtime of one
   * session whose files live under `sessionRoot`, its containers inside one cgroup with `ceiling`. */
  openSession(sessionRoot: string, ceiling?: ResourceAmounts, options?: SessionBackendOptions): Promise<SessionBackend>;
}

/**
 * The Linux drivers for the server, on what setup prepared (set up again here when it
 * has not run). Fails with the reason when no runtime could run a container.
 */
export async function openLinuxBackend(stateDir: string, ids = userNamespaceSetting()): Promise<LinuxBackend> {
  const paths = linuxPaths(stateDir);
  let detection = await readDetection(paths.runtimeFile);
  let base: BaseImageLayer;
  // A probe that ran in another user namespace (or none) says nothing about this one.
  if (!detection?.runtime || (detection.userns ?? 'off') !== describeUserNamespace(ids))
    ({ base, detection } = await setupLinuxBackend(stateDir, ids));
  else base = await buildBaseImage({ root: paths.base, busybox: hostBusybox(), ids });
  const runtime = detection.runtime;
  if (!runtime?.path) throw new Error(`no OCI runtime could run a container: ${detection.attempts.map((a) => `${a.name}: ${a.error}`).join('; ')}`);
  const tracker = new ResourceTracker(paths.tracked);
  const sharedBlobs = new Map([[base.diffId, base.blobPath]]);
  return {
    base,
    ids,
    runtime,
    host: hostInfo(),
    tracker,
    sweepLeftovers: async () => removeLeftovers(tracker, await scanLeftovers({ stateDir, runtime: runtime.path })),
    async openSession(sessionRoot, ceiling = DEFAULT_RESOURCE_POLICY.ceiling, options = {}) {
      // runc mounts the rootfs of the session's bundles as the mapped root: open the way.
      await shareWithMappedRoot(stateDir, sessionRoot, ids);
      // The layer tar is the image's blob (docker save, history sizes): shared read-only, as the layer dir is.
      const content = new SharedBaseContentStore(new FsContentStore(join(sessionRoot, 'content')), sharedBlobs);
      const snapshotter = await OverlaySnapshotter.open(join(sessionRoot, 'snapshots'), ids);
      await attachBaseImage(snapshotter, base);
      const volumes = await DirVolumeStore.open(join(sessionRoot, 'volumes'), ids);
      // Journaled before it exists, as everything we make.
      const sessionCgroup = sessionCgroupPath(sessionRoot);
      await tracker.track({ kind: 'cgroup', path: sessionCgroup });
      try {
        await createLimitedCgroup(sessionCgroup, ceiling);
      } catch (error) {
        await removeCgroupTree(sessionCgroup).catch(() => undefined);
        await tracker.untrack({ kind: 'cgroup', path: sessionCgroup });
        throw error;
      }
      return {
        content,
        snapshotter,
        volumes,
        runtime: new OciRuntime({
          runtime: runtime.path!,
          stateDir: join(sessionRoot, 'containers'),
          tracker,
          ids,
          sessionCgroup,
          outputPace: new OutputPace(options.outputBytesPerSecond ?? DEFAULT_OUTPUT_BYTES_PER_SECOND),
        }),
      };
    },
  };
}
