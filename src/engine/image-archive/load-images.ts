import type { ContentStore } from '../drivers/content-store.js';
import { asDigest, hex, isDigest, type Digest } from '../digest.js';
import { Sha256Stream, sha256Chunks } from '../digest-stream.js';
import { DigestMismatch, EngineError } from '../errors.js';
import type { EngineEvent } from '../events.js';
import type { ImageConfig } from '../images/image-config.js';
import type { ImageRecord, ImageStore } from '../images/image-store.js';
import type { Change } from '../layer/change.js';
import { formatReference, parseReference } from '../images/reference.js';
import { layerSize } from '../layer/tar.js';
import { storedLayerChanges } from '../images/stored-layer.js';
import { concatBytes } from '../format/concat-bytes.js';
import { InvalidArchive } from './archive-errors.js';
import { imageConfigFromJson } from './image-config-json.js';
import { checkDocumentSize } from '../json-document.js';
import type { ArchiveFiles, ChunkSource } from './archive-tar.js';
import { gunzipChunks, isGzip, isZstd } from './decompress.js';
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
  layers: LayerFile[];
  repoTags: string[];
}

/** A layer file of the archive (or a pulled blob), read as it is stored; an OCI blob's `digest` is checked as it streams. */
export interface LayerFile {
  source: ChunkSource;
  digest?: Digest;
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
      const layers: LayerFile[] = [];
      for (const path of item.Layers ?? []) layers.push({ source: await opened(files, path) });
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
    const layers: LayerFile[] = [];
    for (const l of manifest.layers ?? []) layers.push(await layerBlob(files, l));
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

/** A JSON blob of a layout (its size checked first), checked against its digest. */
async function blob(files: ArchiveFiles, d: Descriptor, document: string): Promise<Uint8Array> {
  const bytes = await required(files, blobPath(d), document);
  const actual = await sha256Chunks(bytes);
  if (actual !== d.digest) throw blobMismatch(d.digest, actual);
  return bytes;
}

/** A layer blob of a layout, opened to stream: its digest is checked as it is read. */
async function layerBlob(files: ArchiveFiles, d: Descriptor): Promise<LayerFile> {
  return { source: await opened(files, blobPath(d)), digest: d.digest };
}

function blobPath(d: Descriptor): string {
  if (typeof d?.digest !== 'string' || !isDigest(d.digest)) throw new InvalidArchive(`invalid descriptor digest: ${String(d?.digest)}`);
  return `blobs/sha256/${hex(d.digest)}`;
}

function blobMismatch(expected: Digest, actual: Digest): DigestMismatch {
  return new DigestMismatch(`blob digest mismatch: expected ${expected}, got ${actual}`, { expected, actual });
}

async function opened(files: ArchiveFiles, path: string): Promise<ChunkSource> {
  const source = await files.open(path);
  if (!source) throw new InvalidArchive(`open ${path}: no such file or directory`, { path });
  return source;
}

/** A JSON document the archive must hold, its size checked before it is read. */
async function required(files: ArchiveFiles, path: string, document: string): Promise<Uint8Array> {
  const bytes = await readDocument(files, path, document);
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

/** One image's layers from its config and layer blobs, with the same checks as a load —
 * diffIDs, the unpack budget, the layer tar rules — and no image made of them: BuildKit's pull
 * of a FROM base, which moby's classic image store never lists (builder-next keeps the base
 * in BuildKit's cache, its layers in the layer store). The config as read, for the build. */
export function registerLayers(deps: LoadDeps, source: Omit<ImageSource, 'repoTags'>): Promise<ImageConfig> {
  return storeLayers(deps, source, { left: deps.unpackBytes });
}

async function register(deps: LoadDeps, source: ImageSource, budget: { left: number }): Promise<LoadedImage> {
  const config = await storeLayers(deps, source, budget);
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

async function storeLayers(deps: LoadDeps, source: Omit<ImageSource, 'repoTags'>, budget: { left: number }): Promise<ImageConfig> {
  const raw = imageConfigFromJson(parseJson<unknown>(source.config, 'image config'));
  const os = raw.os ?? '';
  // moby: an image for another OS is refused before any layer is touched.
  if (os !== 'linux') throw new InvalidArchive(`cannot load ${os} image on linux`, { os });
  const diffIds = (raw.rootfs?.diff_ids ?? []).map((d) => asDigest(d));
  if (diffIds.length !== source.layers.length) {
    throw new InvalidArchive(`invalid manifest, layers length mismatch: expected ${source.layers.length}, got ${diffIds.length}`);
  }
  const history = raw.history ?? [];
  const createdBy = history.filter((h) => !h.empty_layer).map((h) => h.created_by ?? '');
  // Every layer streams to the store (inflated, hashed, checked against its diffID) and its
  // entries are read from the stored blob (a hostile one refused) before any is registered;
  // a refused archive leaves no blob, snapshot or image behind: the blobs it made go.
  const made: Digest[] = [];
  const undo = async (keep: ReadonlySet<Digest> = new Set()) => {
    for (const d of made) if (!keep.has(d)) await deps.content.delete(d).catch(() => undefined);
  };
  const layers: Change[][] = [];
  try {
    for (const [i, layer] of source.layers.entries()) {
      const blob = await deps.content.putStream(layerTar(layer, i, budget));
      if (blob.created) made.push(blob.digest);
      if (blob.digest !== diffIds[i])
        throw new DigestMismatch(`invalid diffID for layer ${i}: expected "${diffIds[i]}", got "${blob.digest}"`, {
          expected: diffIds[i]!,
          actual: blob.digest,
        });
      // Each file a range of the stored blob, read again when the snapshot is unpacked, as commit does.
      layers.push(await storedLayerChanges(deps.content, blob.digest));
    }
  } catch (err) {
    await undo();
    throw err;
  }
  let parent: Digest | null = null;
  for (const [i, changes] of layers.entries()) {
    let added;
    try {
      added = await deps.images.addLayer(parent, { diffId: diffIds[i]!, size: layerSize(changes), changes, createdBy: createdBy[i] ?? '' });
    } catch (err) {
      // A full disk halfway: the blobs of the layers not registered go too, so no quota is left held.
      await undo(new Set(diffIds.slice(0, i)));
      throw err;
    }
    const { record, created } = added;
    if (created) deps.emit({ type: 'layer.created', diffId: record.diffId, chainId: record.chainId });
    parent = record.chainId;
  }
  return {
    ...(raw as ImageConfig),
    architecture: raw.architecture ?? '',
    config: raw.config ?? {},
    created: raw.created ?? '',
    history,
    os,
    rootfs: { type: 'layers', diff_ids: diffIds },
  };
}

/**
 * A layer file as the uncompressed tar it holds, a chunk at a time: an OCI blob hashed
 * against its digest as it passes, gzip inflated as it streams and counted against the
 * archive's budget (a bomb is refused at the cap, having held a chunk and written nothing),
 * zstd refused.
 */
async function* layerTar(layer: LayerFile, index: number, budget: { left: number }): AsyncGenerator<Uint8Array> {
  const raw = (layer.digest ? digestChecked(layer.source.chunks(), layer.digest) : layer.source.chunks())[Symbol.asyncIterator]();
  try {
    // The first chunks, until the magic numbers can be told.
    const head: Uint8Array[] = [];
    let size = 0;
    for (let next = size < 4 ? await raw.next() : undefined; next && !next.done; next = size < 4 ? await raw.next() : undefined) {
      head.push(next.value);
      size += next.value.length;
    }
    const magic = concatBytes(head.map((c) => c.subarray(0, 4))).subarray(0, 4);
    if (isZstd(magic)) throw new InvalidArchive(`layer ${index} is zstd-compressed, which Layerlab does not read`);
    const all = (async function* () {
      yield* head;
      for (let next = await raw.next(); !next.done; next = await raw.next()) yield next.value;
    })();
    if (!isGzip(magic)) {
      yield* all;
      return;
    }
    // A first pass only counts, as `gunzip` does: a bomb is refused at the cap having written
    // nothing — the session's disk is no bigger than the cap, and would fill first.
    for await (const chunk of gunzipChunks(layer.source.chunks(), { maxBytes: budget.left })) void chunk;
    for await (const chunk of gunzipChunks(all, { maxBytes: budget.left })) {
      budget.left -= chunk.length;
      yield chunk;
    }
  } finally {
    await raw.return?.();
  }
}

async function* digestChecked(chunks: AsyncIterable<Uint8Array>, expected: Digest): AsyncGenerator<Uint8Array> {
  const hash = new Sha256Stream();
  for await (const c of chunks) {
    await hash.update(c);
    yield c;
  }
  const actual = hash.digest();
  if (actual !== expected) throw blobMismatch(expected, actual);
}
