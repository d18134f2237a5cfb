import type { ContentStore } from '../drivers/content-store.js';
import type { Snapshotter } from '../drivers/snapshotter.js';
import { hex, sha256, type Digest } from '../digest.js';
import type { ImageRecord, ImageStore } from '../images/image-store.js';
import { NoSuchImage } from '../images/image-errors.js';
import { fullRef, parseReference } from '../images/reference.js';
import { EmptyExport } from './archive-errors.js';
import type { ArchiveEntry, ChunkSource } from './archive-tar.js';
import { layerSource } from './layer-blob.js';
import type { LayerSource } from '../drivers/layer-source.js';
import {
  ANNOTATION_IMAGE_NAME,
  ANNOTATION_REF_NAME,
  MEDIA,
  OCI_LAYOUT,
  type Descriptor,
  type ManifestItem,
  type OciIndex,
  type OciManifest,
} from './oci-types.js';

export interface ArchiveDeps {
  content: ContentStore;
  snapshotter: Snapshotter;
  images: ImageStore;
  layerSource?: LayerSource;
}

/** An image to save and the `name:tag` references it is saved under. */
export interface SavedImage {
  image: ImageRecord;
  refs: string[];
}

/**
 * Which images `docker save NAME…` writes, as moby's tarexport `parseNames` picks them: a
 * `name:tag` is that tag (`reference does not exist` otherwise); a bare name is every tag
 * of that repository, or an image ID (prefix) when no tag has it; an ID saves the image
 * with no tags. Each image once, its references in the order named.
 */
export function selectImages(images: ImageStore, names: readonly string[]): SavedImage[] {
  const out = new Map<Digest, SavedImage>();
  const add = (image: ImageRecord, ref?: string) => {
    let entry = out.get(image.id);
    if (!entry) out.set(image.id, (entry = { image, refs: [] }));
    if (ref !== undefined && !entry.refs.includes(ref)) entry.refs.push(ref);
  };
  for (const name of names) {
    const tagRef = images.isTagReference(name);
    if (tagRef !== undefined) {
      add(images.resolve(name), tagRef);
      continue;
    }
    let parsed: { name: string; tag: string } | undefined;
    try {
      parsed = parseReference(name);
    } catch {
      parsed = undefined;
    }
    const nameOnly = parsed !== undefined && !/:[^/]*$/.test(name);
    if (parsed && nameOnly) {
      const tagged = [...images.images.values()].flatMap((i) => i.tags.filter((t) => t.startsWith(`${parsed.name}:`)).map((t) => [i, t] as const));
      for (const [image, t] of tagged) add(image, t);
      if (tagged.length > 0) continue;
    }
    if (parsed && !nameOnly) throw new NoSuchImage('reference does not exist', { ref: name });
    // Docker: an ID (or unique prefix) names the image alone, without its tags.
    add(images.resolve(name));
  }
  return [...out.values()];
}

const encoder = new TextEncoder();

function json(value: unknown, newline = false): Uint8Array {
  return encoder.encode(`${JSON.stringify(value)}${newline ? '\n' : ''}`);
}

function seconds(rfc3339: string | undefined): number {
  const ms = rfc3339 === undefined ? NaN : Date.parse(rfc3339);
  return Number.isFinite(ms) && ms > 0 ? Math.floor(ms / 1000) : 0;
}

/**
 * The files of the archive Docker 25+ writes (moby `image/tarexport/save.go`): an OCI image
 * layout — `oci-layout`, `index.json` and `blobs/sha256/<hex>` for each config, manifest
 * and uncompressed layer — plus `manifest.json` and `repositories` for pre-25 loaders.
 * The entries are in the order a walk of the export dir gives, ready for `archiveChunks`;
 * a layer is a source read from the store (or rebuilt) as the archive is written.
 */
export async function imageLayout(deps: ArchiveDeps, saved: readonly SavedImage[]): Promise<ArchiveEntry[]> {
  const blobs = new Map<string, { bytes?: Uint8Array; source?: ChunkSource; mtime: number }>();
  const index: OciIndex = { schemaVersion: 2, mediaType: MEDIA.index, manifests: [] };
  const manifestJson: ManifestItem[] = [];
  const repositories: Record<string, Record<string, string>> = {};
  let dirTime = 0;
  for (const { image, refs } of saved) {
    const diffIds = image.config.rootfs.diff_ids;
    if (diffIds.length === 0) throw new EmptyExport('empty export - not implemented', { id: image.id });
    // Docker: blobs carry the image's creation time; the JSON documents the epoch.
    const created = seconds(image.config.created);
    dirTime = dirTime || created;
    const config = await deps.content.get(image.id);
    blobs.set(hex(image.id), { bytes: config, mtime: created });
    const layers: Descriptor[] = [];
    for (const [i, diffId] of diffIds.entries()) {
      let source = blobs.get(hex(diffId))?.source;
      if (!source) {
        source = await layerSource(deps.content, deps.snapshotter, image.chainIds[i]!, diffId, deps.layerSource);
        blobs.set(hex(diffId), { source, mtime: created });
      }
      layers.push({ mediaType: MEDIA.layer, digest: diffId, size: source.size });
    }
    const platform = { architecture: image.config.architecture, os: image.config.os };
    const manifest: OciManifest = {
      schemaVersion: 2,
      mediaType: MEDIA.manifest,
      config: { mediaType: MEDIA.config, digest: image.id, size: config.length, platform },
      layers,
    };
    const manifestBytes = json(manifest);
    const manifestDigest = sha256(manifestBytes);
    blobs.set(hex(manifestDigest), { bytes: manifestBytes, mtime: 0 });
    const descriptor = { mediaType: MEDIA.manifest, digest: manifestDigest, size: manifestBytes.length, platform };
    // moby 25 lists an image only under its references; later versions list an untagged
    // image too, which `skopeo`/`umoci` need to find it at all.
    if (refs.length === 0) index.manifests.push(descriptor);
    for (const ref of refs) {
      const { name, tag } = parseReference(ref);
      index.manifests.push({ ...descriptor, annotations: { [ANNOTATION_IMAGE_NAME]: fullRef(ref), [ANNOTATION_REF_NAME]: tag } });
      (repositories[name] ??= {})[tag] = hex(diffIds[diffIds.length - 1]!);
    }
    manifestJson.push({
      Config: `blobs/sha256/${hex(image.id)}`,
      RepoTags: refs.length ? [...refs] : null,
      Layers: diffIds.map((d) => `blobs/sha256/${hex(d)}`),
    });
  }
  const entries: ArchiveEntry[] = [
    { path: 'blobs', mtime: dirTime },
    { path: 'blobs/sha256', mtime: dirTime },
    ...[...blobs.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([h, b]) => ({ path: `blobs/sha256/${h}`, ...b })),
    { path: 'index.json', bytes: json(index), mtime: 0 },
    { path: 'manifest.json', bytes: json(manifestJson, true), mtime: 0 },
    { path: 'oci-layout', bytes: encoder.encode(OCI_LAYOUT), mtime: 0 },
  ];
  if (Object.keys(repositories).length > 0) entries.push({ path: 'repositories', bytes: json(repositories, true), mtime: 0 });
  return entries;
}
