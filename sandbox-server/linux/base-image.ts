import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hex, type Digest } from '../../src/engine/digest.js';
import { busyboxLayer } from './busybox-layer.js';
import { SnapshotNotFound } from '../../src/engine/errors.js';
import { FsContentStore } from './fs-content-store.js';
import { describeUserNamespace, type IdMapping } from './id-mapping.js';
import { OverlaySnapshotter } from './overlay-snapshotter.js';

/** busybox:latest's one layer, on disk, shared read-only by every session. */
export interface BaseImageLayer {
  reference: 'busybox:latest';
  busyboxVersion: string;
  /** = the layer's chainID (a single-layer image) = the committed snapshot's name. */
  diffId: Digest;
  /** Docker's layer size (the files' bytes). */
  size: number;
  /** The committed snapshot's directory: a lowerdir for every container of the image. */
  layerDir: string;
  /** The uncompressed layer tar, `blobs/sha256/<diffID hex>`. */
  blobPath: string;
}

interface Stamp {
  binary: { path: string; size: number; mtimeMs: number; ino: number };
  /** The user namespace the layer dir's owners are shifted for (`describeUserNamespace`). */
  userns?: string;
  layer: Omit<BaseImageLayer, 'layerDir' | 'blobPath'>;
}

/**
 * Builds busybox:latest from the host's static busybox with the engine's recipe (so its
 * diffID is the one the simulator uses): a committed snapshot under `<root>/snapshots`
 * and the layer tar in `<root>/content`. Offline and idempotent; when the binary is the
 * one recorded in `<root>/busybox.json` and both outputs exist, it only reads that file.
 * With `ids` the layer dir is unpacked with its owners shifted into the user namespace's
 * range — once here, not per session, as every session shares it read-only; a setting
 * that changed since the last build unpacks it again.
 */
export async function buildBaseImage(opts: { root: string; busybox: string; ids?: IdMapping }): Promise<BaseImageLayer> {
  const snapshots = await OverlaySnapshotter.open(join(opts.root, 'snapshots'), opts.ids);
  const userns = describeUserNamespace(opts.ids);
  const content = new FsContentStore(join(opts.root, 'content'));
  const stampFile = join(opts.root, 'busybox.json');
  const s = await stat(opts.busybox);
  const binary = { path: opts.busybox, size: s.size, mtimeMs: s.mtimeMs, ino: s.ino };
  const where = (diffId: Digest) => ({ blobPath: join(content.root, 'blobs/sha256', hex(diffId)) });

  const stamp = await readStamp(stampFile);
  const shifted = (stamp?.userns ?? 'off') === userns;
  if (stamp && shifted && JSON.stringify(stamp.binary) === JSON.stringify(binary)) {
    const layerDir = await snapshots.dir(stamp.layer.diffId).catch(() => undefined);
    if (layerDir && (await content.stat(stamp.layer.diffId))) return { ...stamp.layer, layerDir, ...where(stamp.layer.diffId) };
  }

  const { busyboxVersion, changes, tar, diffId, size } = await busyboxLayer(opts.busybox);
  await content.put(tar, diffId);

  const existing = await snapshots.stat(diffId).catch((e: unknown) => {
    if (e instanceof SnapshotNotFound) return undefined;
    throw e;
  });
  // Its owners are another setting's: unpack it again (sessions that shared it were swept at start).
  if (existing && !shifted) await snapshots.remove(diffId);
  if (!existing || !shifted) {
    const key = `extract-${hex(diffId).slice(0, 12)}`;
    // A previous setup that died mid-way left its active snapshot: start over.
    await snapshots.remove(key).catch(() => undefined);
    await snapshots.prepare(key);
    await snapshots.apply(key, changes);
    await snapshots.commit(diffId, key);
  }
  const layer: Stamp['layer'] = { reference: 'busybox:latest', busyboxVersion, diffId, size };
  await writeFile(`${stampFile}.tmp`, JSON.stringify({ binary, userns, layer } satisfies Stamp, null, 1));
  await rename(`${stampFile}.tmp`, stampFile);
  return { ...layer, layerDir: await snapshots.dir(diffId), ...where(diffId) };
}

/** The stamp of the last build; undefined (so the image is built again) when absent or damaged. */
async function readStamp(file: string): Promise<Stamp | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const stamp = JSON.parse(text) as Partial<Stamp> | null;
    if (typeof stamp?.layer?.diffId === 'string' && typeof stamp.binary === 'object') return stamp as Stamp;
    throw new Error('not a stamp');
  } catch (error) {
    console.warn(`${file} is damaged (${(error as Error).message}); building busybox:latest again`);
    return undefined;
  }
}

/** Makes the shared base layer a committed snapshot of a session's snapshotter. */
export async function attachBaseImage(snapshotter: OverlaySnapshotter, base: BaseImageLayer): Promise<void> {
  const known = await snapshotter.stat(base.diffId).catch(() => undefined);
  if (!known) await snapshotter.importCommitted(base.diffId, base.layerDir);
}
