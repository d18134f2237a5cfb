import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ContentStore } from '../../src/engine/drivers/content-store.js';
import type { HostInfo } from '../../src/engine/engine.js';
import { attachBaseImage, buildBaseImage, type BaseImageLayer } from './base-image.js';
import { ResourceTracker, removeLeftovers, type CleanupReport } from './cleanup.js';
import { scanLeftovers } from './leftover-scan.js';
import { FsContentStore } from './fs-content-store.js';
import { SharedBaseContentStore } from './shared-content-store.js';
import { hostInfo } from './host-info.js';
import { OciRuntime } from './oci-runtime.js';
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

/** What `npm start`'s setup step does: clean up after a crash, build the base image, find a runtime. */
export async function setupLinuxBackend(stateDir: string): Promise<{ leftovers: CleanupReport; base: BaseImageLayer; detection: RuntimeDetection }> {
  const paths = linuxPaths(stateDir);
  const earlier = await readDetection(paths.runtimeFile);
  const leftovers = await removeLeftovers(new ResourceTracker(paths.tracked), await scanLeftovers({ stateDir, runtime: earlier?.runtime?.path }));
  const busybox = hostBusybox();
  const base = await buildBaseImage({ root: paths.base, busybox });
  const detection = await detectRuntime({ workDir: paths.probe, busybox });
  await writeFile(`${paths.runtimeFile}.tmp`, JSON.stringify(detection, null, 1));
  await rename(`${paths.runtimeFile}.tmp`, paths.runtimeFile);
  return { leftovers, base, detection };
}

/** What setup saw run a container; undefined (setup runs again) when absent or damaged. */
async function readDetection(file: string): Promise<RuntimeDetection | undefined> {
  return readFile(file, 'utf8').then(
    (text) => JSON.parse(text) as RuntimeDetection,
    () => undefined,
  ).catch((error: unknown) => {
    console.warn(`${file} could not be read (${(error as Error).message}); detecting the runtime again`);
    return undefined;
  });
}

export interface SessionBackend {
  content: ContentStore;
  snapshotter: OverlaySnapshotter;
  runtime: OciRuntime;
}

export interface LinuxBackend {
  base: BaseImageLayer;
  runtime: RuntimeAttempt;
  host: HostInfo;
  tracker: ResourceTracker;
  /** Removes what a crashed run left: what the journal names and what a scan finds (leftover-scan.ts). */
  sweepLeftovers(): Promise<CleanupReport>;
  /** The content store, snapshotter (with busybox:latest attached) and runtime of one
   * session whose files live under `sessionRoot`. */
  openSession(sessionRoot: string): Promise<SessionBackend>;
}

/**
 * The Linux drivers for the server, on what setup prepared (set up again here when it
 * has not run). Fails with the reason when no runtime could run a container.
 */
export async function openLinuxBackend(stateDir: string): Promise<LinuxBackend> {
  const paths = linuxPaths(stateDir);
  let detection = await readDetection(paths.runtimeFile);
  let base: BaseImageLayer;
  if (!detection?.runtime) ({ base, detection } = await setupLinuxBackend(stateDir));
  else base = await buildBaseImage({ root: paths.base, busybox: hostBusybox() });
  const runtime = detection.runtime;
  if (!runtime?.path) throw new Error(`no OCI runtime could run a container: ${detection.attempts.map((a) => `${a.name}: ${a.error}`).join('; ')}`);
  const tracker = new ResourceTracker(paths.tracked);
  const sharedBlobs = new Map([[base.diffId, base.blobPath]]);
  return {
    base,
    runtime,
    host: hostInfo(),
    tracker,
    sweepLeftovers: async () => removeLeftovers(tracker, await scanLeftovers({ stateDir, runtime: runtime.path })),
    async openSession(sessionRoot) {
      // The layer tar is the image's blob (docker save, history sizes): shared read-only, as the layer dir is.
      const content = new SharedBaseContentStore(new FsContentStore(join(sessionRoot, 'content')), sharedBlobs);
      const snapshotter = await OverlaySnapshotter.open(join(sessionRoot, 'snapshots'));
      await attachBaseImage(snapshotter, base);
      return { content, snapshotter, runtime: new OciRuntime({ runtime: runtime.path!, stateDir: join(sessionRoot, 'containers'), tracker }) };
    },
  };
}
