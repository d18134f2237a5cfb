import type { ContentStore } from '../drivers/content-store.js';
import type { Snapshotter } from '../drivers/snapshotter.js';
import type { Change } from '../layer/change.js';
import { contentSize } from '../layer/change.js';
import { chainIds, type Digest, hex, sha256 } from '../digest.js';
import type { LayerState } from '../state.js';
import { decodeImageConfig, encodeImageConfig, type ImageConfig } from './image-config.js';
import { InvalidReference, NoSuchImage } from './image-errors.js';
import { formatReference, parseReference } from './reference.js';
import { BlobSources } from '../registry/blob-sources.js';

export interface ImageRecord {
  id: Digest;
  config: ImageConfig;
  /** The config bytes the ID was computed from. */
  configSize: number;
  chainIds: Digest[];
  /** Familiar `name:tag` references, in the order they were added. */
  tags: string[];
  /** Docker's legacy parent image (set by `commit`), shown by `history`. */
  parent: Digest | null;
  size: number;
  /** When a tag was last added (`Metadata.LastTagTime`). */
  lastTagTime: number | null;
  /** `name@sha256:…` of the manifests it was pushed as or pulled by (`RepoDigests`). */
  repoDigests: string[];
}

export interface LayerRecord {
  diffId: Digest;
  chainId: Digest;
  parent: Digest | null;
  size: number;
  createdBy: string;
  files: LayerState['files'];
}

/** A layer to register: its entries plus the identity its tar has. */
export interface LayerInput {
  diffId: Digest;
  size: number;
  changes: readonly Change[];
  createdBy: string;
}

/**
 * Images and their layers. Configs live in the ContentStore (ID = sha256 of the
 * bytes); each layer is a committed snapshot named by its chainID whose parent is
 * the chainID below, as containerd's image unpacker lays them out.
 */
export class ImageStore {
  readonly images = new Map<Digest, ImageRecord>();
  readonly layers = new Map<Digest, LayerRecord>();
  private readonly tags = new Map<string, Digest>();
  /** Where each layer was seen on a registry (moby's v2 metadata): `push` mounts and skips by it. */
  readonly blobSources = new BlobSources();

  constructor(
    private readonly content: ContentStore,
    private readonly snapshotter: Snapshotter,
  ) {}

  /** Registers a layer on top of `parent` (a chainID), unpacking it into a committed
   * snapshot unless one with its chainID exists. Returns the new chainID. */
  async addLayer(parent: Digest | null, layer: LayerInput): Promise<{ record: LayerRecord; created: boolean }> {
    const chainId = parent === null ? layer.diffId : sha256(`${parent} ${layer.diffId}`);
    const known = this.layers.get(chainId);
    if (known) return { record: known, created: false };
    const existing = await this.snapshotter.stat(chainId).then(
      () => true,
      () => false,
    );
    if (!existing) {
      const key = `extract-${hex(chainId)}`;
      await this.snapshotter.prepare(key, parent ?? undefined);
      try {
        await this.snapshotter.apply(key, layer.changes);
        await this.snapshotter.commit(chainId, key);
      } catch (err) {
        // A refused layer, or a disk that fills, leaves no snapshot behind (moby: the layer is
        // released; containerd's unpacker removes its active snapshot, and the space it took).
        await this.snapshotter.remove(key).catch(() => undefined);
        throw err;
      }
    }
    const record: LayerRecord = {
      diffId: layer.diffId,
      chainId,
      parent,
      size: layer.size,
      createdBy: layer.createdBy,
      files: layer.changes.map(fileOf),
    };
    this.layers.set(chainId, record);
    return { record, created: true };
  }

  /** Stores a config, creating (or finding) the image it identifies. `raw`: the config's
   * exact bytes when they come from elsewhere (`docker load`), since the image ID is the
   * sha256 of the bytes as written, not of our re-encoding. */
  async addImage(config: ImageConfig, parent: Digest | null = null, raw?: Uint8Array): Promise<{ image: ImageRecord; created: boolean }> {
    const bytes = raw ?? encodeImageConfig(config);
    const id = await this.content.put(bytes);
    const known = this.images.get(id);
    if (known) return { image: known, created: false };
    const chains = chainIds(config.rootfs.diff_ids);
    let size = 0;
    for (const c of chains) size += this.layers.get(c)?.size ?? 0;
    const image: ImageRecord = {
      id,
      config: raw ? config : decodeImageConfig(bytes),
      configSize: bytes.length,
      chainIds: chains,
      tags: [],
      parent,
      size,
      lastTagTime: null,
      repoDigests: [],
    };
    this.images.set(id, image);
    return { image, created: true };
  }

  /** Points `ref` at the image; returns the image it was taken from, if any. */
  tag(image: ImageRecord, ref: string, now: number): ImageRecord | undefined {
    const previousId = this.tags.get(ref);
    const previous = previousId === undefined ? undefined : this.images.get(previousId);
    if (previous === image) return undefined;
    if (previous) previous.tags = previous.tags.filter((t) => t !== ref);
    this.tags.set(ref, image.id);
    image.tags.push(ref);
    image.lastTagTime = now;
    return previous;
  }

  /** Records a manifest digest the image is known by on a registry (`localhost:5000/app@sha256:…`). */
  addRepoDigest(image: ImageRecord, ref: string): void {
    if (!image.repoDigests.includes(ref)) image.repoDigests.push(ref);
  }

  /** Forgets the image's registry digests in `repository` (`localhost:5000/app`); returns them. */
  removeRepoDigests(image: ImageRecord, repository: string): string[] {
    const gone = image.repoDigests.filter((d) => d.startsWith(`${repository}@`));
    image.repoDigests = image.repoDigests.filter((d) => !gone.includes(d));
    return gone;
  }

  untag(ref: string): void {
    const id = this.tags.get(ref);
    if (id === undefined) return;
    this.tags.delete(ref);
    const image = this.images.get(id);
    if (image) image.tags = image.tags.filter((t) => t !== ref);
  }

  /** Resolves what a user typed: a tag, a full ID (with or without `sha256:`) or a
   * unique ID prefix, as the daemon's GetImage does. */
  resolve(refOrId: string): ImageRecord {
    const byId = this.byId(refOrId);
    if (byId) return byId;
    let ref: string | undefined;
    try {
      ref = formatReference(parseReference(refOrId));
    } catch (err) {
      if (!(err instanceof InvalidReference)) throw err;
    }
    const id = ref === undefined ? undefined : this.tags.get(ref);
    const image = id === undefined ? undefined : this.images.get(id);
    if (image) return image;
    const prefixed = this.byPrefix(refOrId);
    if (prefixed) return prefixed;
    throw new NoSuchImage(`No such image: ${ref ?? refOrId}`, { ref: ref ?? refOrId });
  }

  /** Whether `refOrId` names the image by a tag (rather than by ID). */
  isTagReference(refOrId: string): string | undefined {
    if (this.byId(refOrId)) return undefined;
    try {
      const ref = formatReference(parseReference(refOrId));
      return this.tags.has(ref) ? ref : undefined;
    } catch {
      return undefined;
    }
  }

  private byId(refOrId: string): ImageRecord | undefined {
    const full = refOrId.startsWith('sha256:') ? refOrId : /^[a-f0-9]{64}$/.test(refOrId) ? `sha256:${refOrId}` : undefined;
    return full === undefined ? undefined : this.images.get(full as Digest);
  }

  private byPrefix(prefix: string): ImageRecord | undefined {
    const p = prefix.startsWith('sha256:') ? prefix.slice(7) : prefix;
    if (!/^[a-f0-9]+$/.test(p)) return undefined;
    let found: ImageRecord | undefined;
    for (const image of this.images.values()) {
      if (!hex(image.id).startsWith(p)) continue;
      // Docker: an ambiguous short ID finds nothing.
      if (found) return undefined;
      found = image;
    }
    return found;
  }

  /** Removes an image record and the layers no other image uses; returns the
   * chainIDs removed, top first (Docker's `Deleted:` order). */
  async removeImage(image: ImageRecord, layerInUse: (chainId: Digest) => boolean): Promise<Digest[]> {
    for (const t of [...image.tags]) this.untag(t);
    this.images.delete(image.id);
    await this.content.delete(image.id);
    const removed: Digest[] = [];
    for (const chainId of [...image.chainIds].reverse()) {
      const used = [...this.images.values()].some((i) => i.chainIds.includes(chainId)) || layerInUse(chainId);
      if (used) break;
      await this.snapshotter.remove(chainId);
      this.layers.delete(chainId);
      removed.push(chainId);
    }
    return removed;
  }
}

function fileOf(c: Change): LayerState['files'][number] {
  switch (c.kind) {
    case 'file':
      return { path: c.path, kind: 'file', size: contentSize(c.content) };
    case 'dir':
      return { path: c.path, kind: c.opaque ? 'opaque' : 'dir', size: 0 };
    case 'symlink':
      return { path: c.path, kind: 'symlink', size: c.target.length };
    case 'whiteout':
      return { path: c.path, kind: 'whiteout', size: 0 };
  }
}

export { fileOf as layerFileOf };
