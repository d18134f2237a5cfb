import type { ContentStore } from '../drivers/content-store.js';
import type { Snapshotter } from '../drivers/snapshotter.js';
import type { EngineEvent } from '../events.js';
import { layerSize, layerTarStream } from '../layer/tar.js';
import { storedLayerChanges } from './stored-layer.js';
import type { ContainerRecord } from '../containers/container-record.js';
import { goTime } from '../format/go-json.js';
import { applyCommitChange } from './commit-changes.js';
import type { ContainerConfig, ImageConfig } from './image-config.js';
import type { ImageRecord, ImageStore } from './image-store.js';

export interface CommitOptions {
  message?: string;
  author?: string;
  changes: string[];
  now: number;
}

/**
 * `docker commit`: the container layer becomes an image layer on top of the
 * container's image, and the container's config becomes the image's. An empty
 * container layer adds no layer, only an `empty_layer` history entry (moby
 * image_commit.go).
 */
export async function commitContainer(
  deps: { images: ImageStore; content: ContentStore; snapshotter: Snapshotter; emit(e: EngineEvent): void },
  c: ContainerRecord,
  opts: CommitOptions,
): Promise<ImageRecord> {
  const base = c.image;
  // The upper dir's files are read as the tar reaches them: a large container is never held.
  const changes = await deps.snapshotter.changes(c.snapshotKey, { stream: true });
  const config: ContainerConfig = {
    ...(c.config.user ? { User: c.config.user } : {}),
    ...(base.config.config.ExposedPorts ? { ExposedPorts: base.config.config.ExposedPorts } : {}),
    Env: [...c.config.env],
    Entrypoint: c.config.entrypoint,
    Cmd: c.config.cmd,
    ...(c.config.workingDir ? { WorkingDir: c.config.workingDir } : {}),
    ...(Object.keys(c.config.labels).length ? { Labels: { ...c.config.labels } } : {}),
    ...(c.config.stopSignal ? { StopSignal: c.config.stopSignal } : {}),
  };
  for (const change of opts.changes) applyCommitChange(config, change);
  const diffIds = [...base.config.rootfs.diff_ids];
  const empty = changes.length === 0;
  const createdBy = (c.config.cmd ?? []).join(' ');
  if (!empty) {
    // The tar streams to the store as it is written and hashed: never a whole layer in memory.
    const blob = await deps.content.putStream(layerTarStream(changes));
    const diffId = blob.digest;
    const parent = base.chainIds[base.chainIds.length - 1] ?? null;
    let added;
    try {
      // The snapshot is unpacked from the blob just stored, by ranges of it: what the layer
      // holds is what its diffID names, even of a container that went on writing.
      const stored = await storedLayerChanges(deps.content, diffId);
      added = await deps.images.addLayer(parent, { diffId, size: layerSize(stored), changes: stored, createdBy });
    } catch (err) {
      // A full disk halfway: the blob this commit wrote goes too, so no quota is left held.
      if (blob.created) await deps.content.delete(diffId).catch(() => undefined);
      throw err;
    }
    if (added.created) deps.emit({ type: 'layer.created', diffId, chainId: added.record.chainId });
    diffIds.push(diffId);
  }
  const created = goTime(opts.now);
  const imageConfig: ImageConfig = {
    architecture: base.config.architecture,
    ...(opts.author ? { author: opts.author } : {}),
    config,
    container: c.id,
    created,
    history: [
      ...base.config.history,
      {
        created,
        ...(opts.author ? { author: opts.author } : {}),
        created_by: createdBy,
        ...(opts.message ? { comment: opts.message } : {}),
        ...(empty ? { empty_layer: true } : {}),
      },
    ],
    os: base.config.os,
    rootfs: { type: 'layers', diff_ids: diffIds },
  };
  const { image, created: isNew } = await deps.images.addImage(imageConfig, base.id);
  if (isNew) deps.emit({ type: 'image.created', id: image.id, tags: [] });
  return image;
}
