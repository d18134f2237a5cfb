import type { ContentStore } from '../drivers/content-store.js';
import { chainIds, isDigest, shortId, type Digest } from '../digest.js';
import { EngineError } from '../errors.js';
import type { EngineEvent } from '../events.js';
import { bytesReader } from '../drivers/bytes-reader.js';
import { registerImage } from '../image-archive/load-images.js';
import type { OciIndex, OciManifest } from '../image-archive/oci-types.js';
import type { ImageRecord, ImageStore } from '../images/image-store.js';
import { checkDocumentSize } from '../json-document.js';
import { REGISTRY_MEDIA, type FetchedManifest, type RegistryClient } from './registry-client.js';
import { ManifestNotFound, RegistryContentInvalid, RegistryError } from './registry-errors.js';
import type { RegistryReference } from './registry-reference.js';

/** dockerd's `--max-concurrent-downloads` default. */
const MAX_CONCURRENT_DOWNLOADS = 3;

export interface PullDeps {
  content: ContentStore;
  images: ImageStore;
  emit(event: EngineEvent): void;
  now(): number;
  /** The host's OCI architecture (`amd64`), to pick an image out of a multi-platform index. */
  architecture: string;
  /** What the pulled layers may unpack to, all together (`EngineLimits.unpackBytes`). */
  unpackBytes: number;
}

export interface Pulled {
  image: ImageRecord;
  digest: Digest;
  /** The tag already named this image: Docker's `Image is up to date`. */
  upToDate: boolean;
}

/**
 * `docker pull` of one tag, as moby's v2 puller words it: `<tag>: Pulling from <path>`, each
 * layer `Already exists` (its chain is in the store) or `Pulling fs layer` … `Pull complete`,
 * nothing per layer when the image itself is here. The image goes through `docker load`'s
 * path (`registerImage`: diffIDs, the unpack budget, the hostile-tar rules) before anything
 * is stored.
 */
export async function pullImage(deps: PullDeps, client: RegistryClient, ref: RegistryReference, line: (text: string) => void): Promise<Pulled> {
  const manifestDoc = await resolveManifest(deps, client, ref);
  const manifest = parse<OciManifest>(manifestDoc.bytes, 'manifest');
  const configDigest = manifest.config?.digest;
  if (typeof configDigest !== 'string' || !isDigest(configDigest)) throw new RegistryContentInvalid('manifest has no config digest');
  const layers = manifest.layers ?? [];
  for (const l of layers)
    if (typeof l?.digest !== 'string' || !isDigest(l.digest)) throw new RegistryContentInvalid('manifest names a layer without a digest');
  line(`${ref.tag}: Pulling from ${ref.path}\n`);

  let image = deps.images.images.get(configDigest);
  let upToDate = false;
  if (image) {
    upToDate = image.tags.includes(ref.ref);
    if (!upToDate) tag(deps, image, ref.ref);
  } else {
    image = await download(
      deps,
      client,
      ref,
      configDigest,
      layers.map((l) => l.digest),
      line,
    );
  }
  deps.images.addRepoDigest(image, `${ref.name}@${manifestDoc.digest}`);
  for (const [i, l] of layers.entries()) {
    const diffId = image.config.rootfs.diff_ids[i];
    if (diffId) deps.images.blobSources.add(diffId, { digest: l.digest, repository: ref.name });
  }
  line(`Digest: ${manifestDoc.digest}\n`);
  line(`Status: ${upToDate ? 'Image is up to date' : 'Downloaded newer image'} for ${ref.ref}\n`);
  return { image, digest: manifestDoc.digest, upToDate };
}

export async function resolveManifest(deps: PullDeps, client: RegistryClient, ref: RegistryReference): Promise<FetchedManifest> {
  let doc: FetchedManifest;
  try {
    doc = await client.getManifest(ref.path, ref.tag);
  } catch (err) {
    if (err instanceof RegistryError && (err.details.registryCode === 'MANIFEST_UNKNOWN' || err.details.registryCode === 'NAME_UNKNOWN'))
      throw new ManifestNotFound(`manifest for ${ref.ref} not found: ${err.message}`, { ref: ref.ref });
    // moby's TranslatePullError: a registry's `denied` is a repository the client may not read.
    if (err instanceof RegistryError && err.details.registryCode === 'DENIED')
      throw new RegistryError(`pull access denied for ${ref.name}, repository does not exist or may require 'docker login': ${err.message}`, {
        ...err.details,
      });
    throw err;
  }
  // A multi-platform image: the manifest for this host, as moby picks it.
  if (doc.mediaType === REGISTRY_MEDIA.manifestList || doc.mediaType === REGISTRY_MEDIA.ociIndex) {
    const index = parse<OciIndex>(doc.bytes, 'manifest list');
    const candidates = index.manifests ?? [];
    const match = candidates.find((m) => m.platform?.os === 'linux' && m.platform.architecture === deps.architecture);
    if (!match || !isDigest(match.digest))
      throw new ManifestNotFound(`no matching manifest for linux/${deps.architecture} in the manifest list entries`, { ref: ref.ref });
    const chosen = await client.getManifest(ref.path, match.digest);
    return { ...chosen, digest: doc.digest };
  }
  return doc;
}

async function download(
  deps: PullDeps,
  client: RegistryClient,
  ref: RegistryReference,
  configDigest: Digest,
  blobs: Digest[],
  line: (text: string) => void,
): Promise<ImageRecord> {
  const config = await client.getBlob(ref.path, configDigest);
  checkDocumentSize(config.length, 'image config');
  const diffIds = (parse<{ rootfs?: { diff_ids?: string[] } }>(config, 'image config').rootfs?.diff_ids ?? []).filter(isDigest);
  if (diffIds.length !== blobs.length)
    throw new RegistryContentInvalid(`invalid manifest, layers length mismatch: expected ${blobs.length}, got ${diffIds.length}`);
  const chains = chainIds(diffIds);
  const present = chains.map((c) => deps.images.layers.has(c));
  let queued = 0;
  for (const [i, blob] of blobs.entries()) {
    line(`${shortId(blob)}: ${present[i] ? 'Already exists' : 'Pulling fs layer'}\n`);
    // moby's transfer manager downloads three layers at a time: the rest say they wait.
    if (!present[i] && queued++ >= MAX_CONCURRENT_DOWNLOADS) line(`${shortId(blob)}: Waiting\n`);
  }
  const layerBytes: Uint8Array[] = [];
  for (const [i, blob] of blobs.entries()) {
    // A layer here already is read from the store when its tar is kept there; else fetched, unseen.
    const stored = present[i] && (await deps.content.stat(diffIds[i]!)) ? await deps.content.get(diffIds[i]!) : undefined;
    layerBytes.push(stored ?? (await client.getBlob(ref.path, blob)));
    if (!present[i]) line(`${shortId(blob)}: Verifying Checksum\n${shortId(blob)}: Download complete\n`);
  }
  const loaded = await registerImage(deps, { config, layers: layerBytes.map((bytes) => ({ source: bytesReader(bytes) })), repoTags: [ref.ref] });
  for (const [i, blob] of blobs.entries()) if (!present[i]) line(`${shortId(blob)}: Pull complete\n`);
  return loaded.image;
}

function tag(deps: PullDeps, image: ImageRecord, ref: string): void {
  const previous = deps.images.tag(image, ref, deps.now());
  if (previous) deps.emit({ type: 'image.untagged', id: previous.id, tag: ref });
  deps.emit({ type: 'image.tagged', id: image.id, tag: ref });
}

function parse<T>(bytes: Uint8Array, what: string): T {
  try {
    const value = JSON.parse(new TextDecoder().decode(bytes)) as T;
    if (typeof value !== 'object' || value === null) throw new Error('not an object');
    return value;
  } catch (err) {
    if (err instanceof EngineError) throw err;
    throw new RegistryContentInvalid(`invalid ${what}: ${(err as Error).message}`);
  }
}
