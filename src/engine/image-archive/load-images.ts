import type { ContentStore } from '../drivers/content-store.js';
import { asDigest, hex, isDigest, type Digest } from '../digest.js';
import { sha256Chunks } from '../digest-stream.js';
import { DigestMismatch, EngineError } from '../errors.js';
import type { EngineEvent } from '../events.js';
import type { ImageConfig } from '../images/image-config.js';
import type { ImageRecord, ImageStore } from '../images/image-store.js';
import type { Change } from '../layer/change.js';
import { formatReference, parseReference } from '../images/reference.js';
import { layerSize, readLayerTarInSlices } from '../layer/tar.js';
import { InvalidArchive } from './archive-errors.js';
import { checkDocumentSize } from '../json-document.js';
import type { ArchiveFiles } from './archive-tar.js';
import { gunzip, isGzip, isZstd } from './decompress.js';
import {
  ANNOTATION_IMAGE_NAME,
  ANNOTATION_REF_NAME,
  MEDIA,
  type Descriptor,
  type ManifestItem,
  type OciIndex,
  type OciManifest,
} from './oci-types.js';

export interface LoadDeps {
  content: ContentStore;
  images: ImageStore;
  emit(event: EngineEvent): void;
  now(): number;
  /** The host's OCI architecture (`amd64`), to pick an image out of a multi-platform index. */
  architecture: string;
  /** What the archive's compressed layers may unpack to, all together. */
  unpackBytes: number;
}

export interface LoadedImage {
  image: ImageRecord;
  /** References set, each with the image the tag was taken from, if any. */
  tags: { ref: string; previous?: ImageRecord }[];
}

export interface ImageSource {
  config: Uint8Array;
  layers: Uint8Array[];
  repoTags: string[];
}

const decoder = new TextDecoder();

/**
 * `docker load`: a `docker save` archive (Docker 25+'s OCI layout with `manifest.json`,
 * or the classic pre-25 layout), or a bare OCI image layout (`index.json` only). As
 * moby's loader does, `manifest.json` wins when present. Every layer is checked against
 * its diffID before anything is registered; the tar is kept so `save` writes it back as it came.
 */
export async function loadImages(deps: LoadDeps, files: ArchiveFiles): Promise<LoadedImage[]> {
  const sources = await readSources(deps, files);
  const loaded: LoadedImage[] = [];
  // One budget for the whole archive: two bombs in one file are not twice the room.
  const budget = { left: deps.unpackBytes };
  for (const source of sources) loaded.push(await register(deps, source, budget));
  return loaded;
}

/** One image from its config and layer blobs (`docker pull`): the same checks as a loaded
 * one — diffIDs, the unpack budget, the layer tar rules — before anything is stored. */
export function registerImage(deps: LoadDeps, source: ImageSource): Promise<LoadedImage> {
  return register(deps, source, { left: deps.unpackBytes });
}

async function readSources(deps: LoadDeps, files: ArchiveFiles): Promise<ImageSource[]> {
  const manifest = await readDocument(files, 'manifest.json', 'manifest.json');
  if (manifest) {
    const items = parseJson<ManifestItem[] | null>(manifest, 'manifest.json');
    if (!Array.isArray(items)) throw new InvalidArchive('invalid manifest, manifest cannot be null (but can be [])');
    const out: ImageSource[] = [];
    for (const item of items) {
      const layers: Uint8Array[] = [];
      for (const path of item.Layers ?? []) layers.push(await required(files, path));
      out.push({ config: await required(files, item.Config, 'image config'), layers, repoTags: item.RepoTags ?? [] });
    }
    return out;
  }
  const indexBytes = await readDocument(files, 'index.json', 'index.json');
  if (!indexBytes) throw new InvalidArchive('open manifest.json: no such file or directory (not an image archive: no manifest.json nor index.json)');
  const index = parseJson<OciIndex>(indexBytes, 'index.json');
  const byManifest = new Map<Digest, { descriptor: Descriptor; names: string[] }>();
  for (const d of index.manifests ?? []) {
    const descriptor = await pickManifest(deps, files, d);
    const entry = byManifest.get(descriptor.digest) ?? { descriptor, names: [] };
    byManifest.set(descriptor.digest, entry);
    const name = nameOf(d.annotations ?? {});
    if (name !== undefined && !entry.names.includes(name)) entry.names.push(name);
  }
  const out: ImageSource[] = [];
  for (const { descriptor, names } of byManifest.values()) {
    const manifest = parseJson<OciManifest>(await blob(files, descriptor, `manifest ${descriptor.digest}`), `manifest ${descriptor.digest}`);
    const layers: Uint8Array[] = [];
    for (const l of manifest.layers ?? []) layers.push(await blob(files, l));
    out.push({ config: await blob(files, manifest.config, 'image config'), layers, repoTags: names });
  }
  return out;
}

/** A nested index (multi-platform image) is followed to the manifest for this host. */
async function pickManifest(deps: LoadDeps, files: ArchiveFiles, d: Descriptor, depth = 0): Promise<Descriptor> {
  if (d.mediaType !== MEDIA.index && d.mediaType !== MEDIA.dockerManifestList) return d;
  if (depth > 4) throw new InvalidArchive('image index nested too deep', { digest: d.digest });
  const nested = parseJson<OciIndex>(await blob(files, d, `index ${d.digest}`), `index ${d.digest}`);
  const candidates = nested.manifests ?? [];
  const match = candidates.find((m) => m.platform?.os === 'linux' && m.platform.architecture === deps.architecture) ?? candidates[0];
  if (!match) throw new InvalidArchive('image index lists no manifest', { digest: d.digest });
  return pickManifest(deps, files, match, depth + 1);
}

/** Docker 25+ names an image by containerd's annotation; other tools put a full
 * reference in `ref.name`. A bare tag there names no repository, so no tag is set. */
function nameOf(annotations: Record<string, string>): string | undefined {
  const full = annotations[ANNOTATION_IMAGE_NAME];
  const refName = annotations[ANNOTATION_REF_NAME];
  const candidate = full ?? (refName !== undefined && /[:/]/.test(refName) ? refName : undefined);
  if (candidate === undefined) return undefined;
  try {
    return formatReference(parseReference(candidate));
  } catch {
    return undefined;
  }
}

/** A blob of a layout, checked against its digest; `document` names a JSON one, whose size is checked first. */
async function blob(files: ArchiveFiles, d: Descriptor, document?: string): Promise<Uint8Array> {
  if (typeof d?.digest !== 'string' || !isDigest(d.digest)) throw new InvalidArchive(`invalid descriptor digest: ${String(d?.digest)}`);
  const bytes = await required(files, `blobs/sha256/${hex(d.digest)}`, document);
  const actual = await sha256Chunks(bytes);
  if (actual !== d.digest) throw new DigestMismatch(`blob digest mismatch: expected ${d.digest}, got ${actual}`, { expected: d.digest, actual });
  return bytes;
}

async function required(files: ArchiveFiles, path: string, document?: string): Promise<Uint8Array> {
  const bytes = document === undefined ? await files.read(path) : await readDocument(files, path, document);
  if (!bytes) throw new InvalidArchive(`open ${path}: no such file or directory`, { path });
  return bytes;
}

/** A JSON document of the archive, refused by its size past `MAX_JSON_DOCUMENT_BYTES` before it is read. */
async function readDocument(files: ArchiveFiles, path: string, what: string): Promise<Uint8Array | undefined> {
  const size = await files.size(path);
  if (size === undefined) return undefined;
  checkDocumentSize(size, what);
  return files.read(path);
}

function parseJson<T>(bytes: Uint8Array, what: string): T {
  try {
    return JSON.parse(decoder.decode(bytes)) as T;
  } catch (err) {
    throw new InvalidArchive(`invalid JSON in ${what}: ${(err as Error).message}`);
  }
}

async function register(deps: LoadDeps, source: ImageSource, budget: { left: number }): Promise<LoadedImage> {
  const raw = parseJson<Partial<ImageConfig>>(source.config, 'image config');
  const os = raw.os ?? '';
  // moby: an image for another OS is refused before any layer is touched.
  if (os !== 'linux') throw new InvalidArchive(`cannot load ${os} image on linux`, { os });
  const diffIds = (raw.rootfs?.diff_ids ?? []).map((d) => asDigest(d));
  if (diffIds.length !== source.layers.length) {
    throw new InvalidArchive(`invalid manifest, layers length mismatch: expected ${source.layers.length}, got ${diffIds.length}`);
  }
  const history = raw.history ?? [];
  const createdBy = history.filter((h) => !h.empty_layer).map((h) => h.created_by ?? '');
  const tars: Uint8Array[] = [];
  for (const [i, layer] of source.layers.entries()) {
    if (isZstd(layer)) throw new InvalidArchive(`layer ${i} is zstd-compressed, which Layerlab does not read`);
    const tar = isGzip(layer) ? await gunzip(layer, { maxBytes: budget.left }) : layer;
    if (tar !== layer) budget.left -= tar.length;
    const actual = await sha256Chunks(tar);
    if (actual !== diffIds[i])
      throw new DigestMismatch(`invalid diffID for layer ${i}: expected "${diffIds[i]}", got "${actual}"`, { expected: diffIds[i]!, actual });
    tars.push(tar);
  }
  // Every layer is read (and a hostile one refused) before anything is stored, so a
  // refused archive leaves no blob, snapshot or image behind.
  const layers: Change[][] = [];
  for (const tar of tars) layers.push(await readLayerTarInSlices(tar));
  let parent: Digest | null = null;
  for (const [i, tar] of tars.entries()) {
    const changes = layers[i]!;
    const had = await deps.content.stat(diffIds[i]!);
    await deps.content.put(tar, diffIds[i]);
    let added;
    try {
      added = await deps.images.addLayer(parent, { diffId: diffIds[i]!, size: layerSize(changes), changes, createdBy: createdBy[i] ?? '' });
    } catch (err) {
      // A full disk halfway: the blob goes too, so no quota is left held.
      if (!had) await deps.content.delete(diffIds[i]!).catch(() => undefined);
      throw err;
    }
    const { record, created } = added;
    if (created) deps.emit({ type: 'layer.created', diffId: record.diffId, chainId: record.chainId });
    parent = record.chainId;
  }
  const config: ImageConfig = {
    ...(raw as ImageConfig),
    architecture: raw.architecture ?? '',
    config: raw.config ?? {},
    created: raw.created ?? '',
    history,
    os,
    rootfs: { type: 'layers', diff_ids: diffIds },
  };
  const { image, created } = await deps.images.addImage(config, null, source.config);
  if (created) deps.emit({ type: 'image.created', id: image.id, tags: [] });
  const tags: LoadedImage['tags'] = [];
  for (const repoTag of source.repoTags) {
    let ref: string;
    try {
      ref = formatReference(parseReference(repoTag));
    } catch (err) {
      if (!(err instanceof EngineError)) throw err;
      throw new InvalidArchive(`invalid tag "${repoTag}"`, { tag: repoTag });
    }
    const previous = deps.images.tag(image, ref, deps.now());
    if (previous) deps.emit({ type: 'image.untagged', id: previous.id, tag: ref });
    deps.emit({ type: 'image.tagged', id: image.id, tag: ref });
    tags.push({ ref, ...(previous ? { previous } : {}) });
  }
  return { image, tags };
}
