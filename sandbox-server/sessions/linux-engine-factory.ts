import { readFile } from 'node:fs/promises';
import { FsWorkspace } from '../../cli/fs-workspace.js';
import { busyboxRootfs } from '../../src/engine/base-image/busybox.js';
import { createEngine, type BaseImage } from '../../src/engine/create-engine.js';
import { systemClock } from '../../src/engine/drivers/clock.js';
import { sha256 } from '../../src/engine/digest.js';
import { simBusyboxImage } from '../../src/sim/create-sim-engine.js';
import { runCommand } from '../linux/command.js';
import { hostBusybox, openLinuxBackend, type LinuxBackend } from '../linux/linux-backend.js';
import type { BaseImageLayer } from '../linux/base-image.js';
import type { EngineFactory } from './session.js';

/**
 * busybox:latest as the engine sees it on Linux: the simulator's image (same config and
 * history, so the same image ID) on the layer setup built from the host's busybox. The
 * snapshot already exists (attached read-only), so the engine only records its files.
 */
async function linuxBusyboxImage(base: BaseImageLayer, busybox: string): Promise<BaseImage> {
  const bytes = await readFile(busybox);
  const appletPaths = (await runCommand(busybox, ['--list-full'])).stdout.toString('utf8').split('\n').filter(Boolean).sort();
  const changes = busyboxRootfs({ appletPaths, binary: { type: 'external', size: bytes.byteLength, digest: sha256(bytes) } });
  return { ...simBusyboxImage(), layers: [{ diffId: base.diffId, size: base.size, changes, createdBy: '' }] };
}

/**
 * Sessions on real containers: each session's content store, snapshotter and runtime
 * live in its own state root (its tmpfs), busybox:latest is shared read-only, and the
 * build context is the session's files dir. Work done once per server (base image,
 * runtime detection) happens here, not per session.
 */
export async function linuxEngineFactory(stateDir: string): Promise<{ factory: EngineFactory; backend: LinuxBackend }> {
  const backend = await openLinuxBackend(stateDir);
  const baseImage = await linuxBusyboxImage(backend.base, hostBusybox());
  const factory: EngineFactory = async (session) => {
    const { content, snapshotter, runtime } = await backend.openSession(session.root.path);
    return createEngine(
      { backend: 'linux', content, snapshotter, runtime, workspace: new FsWorkspace(session.root.filesDir), clock: systemClock, host: backend.host },
      { baseImages: [baseImage] },
    );
  };
  return { factory, backend };
}
