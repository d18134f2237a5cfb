import { shortId } from '../engine/digest.js';
import type { ContainerStatus, StateSnapshot } from '../engine/state.js';
import { humanSize, trimCreatedBy } from './docker-format.js';

/**
 * The text alternative to the pictures: the state as three tables (images, layers,
 * containers), for screen readers and keyboard users. Cells are plain strings in
 * Docker's own forms (short IDs, human sizes), so they read like `docker images`.
 */
export interface StateTables {
  images: ImageRow[];
  layers: LayerRow[];
  containers: ContainerRow[];
}

export interface ImageRow {
  /** One row per tag, as `docker images` lists them. */
  key: string;
  id: string;
  shortId: string;
  /** `<none>` for a dangling image. */
  repository: string;
  tag: string;
  created: string;
  size: string;
  layers: number;
}

export interface LayerRow {
  key: string;
  chainId: string;
  shortDiffId: string;
  /** Short chainID of the layer below, empty for a base layer. */
  parent: string;
  createdBy: string;
  size: string;
  /** Tags (or short IDs) of the images holding this layer. */
  usedBy: string[];
}

export interface ContainerRow {
  key: string;
  id: string;
  shortId: string;
  name: string;
  image: string;
  command: string;
  status: ContainerStatus;
  exitCode: number | null;
  changes: number;
}

export function toStateTables(state: StateSnapshot): StateTables {
  const images: ImageRow[] = [];
  const usedBy = new Map<string, string[]>();
  for (const image of state.images) {
    const common = { id: image.id, shortId: shortId(image.id), created: image.created, size: humanSize(image.size), layers: image.chainIds.length };
    const name = image.repoTags[0] ?? shortId(image.id);
    for (const chainId of image.chainIds) {
      const list = usedBy.get(chainId) ?? [];
      list.push(name);
      usedBy.set(chainId, list);
    }
    if (image.repoTags.length === 0) images.push({ key: image.id, repository: '<none>', tag: '<none>', ...common });
    for (const repoTag of image.repoTags) {
      // Docker: the tag follows the last colon, unless that colon belongs to a registry's port.
      const at = repoTag.lastIndexOf(':');
      const split = at > repoTag.lastIndexOf('/');
      images.push({
        key: `${image.id} ${repoTag}`,
        repository: split ? repoTag.slice(0, at) : repoTag,
        tag: split ? repoTag.slice(at + 1) : 'latest',
        ...common,
      });
    }
  }
  const layers = state.layers.map((l): LayerRow => ({
    key: l.chainId,
    chainId: l.chainId,
    shortDiffId: shortId(l.diffId),
    parent: l.parent ? shortId(l.parent) : '',
    createdBy: trimCreatedBy(l.createdBy),
    size: humanSize(l.size),
    usedBy: usedBy.get(l.chainId) ?? [],
  }));
  const containers = state.containers.map((c): ContainerRow => ({
    key: c.id,
    id: c.id,
    shortId: c.id.slice(0, 12),
    name: c.name,
    image: c.image,
    command: c.command,
    status: c.status,
    exitCode: c.exitCode,
    changes: c.changes.length,
  }));
  return { images, layers, containers };
}
