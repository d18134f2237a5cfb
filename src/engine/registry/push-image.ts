import type { ContentStore } from '../drivers/content-store.js';
import type { LayerSource } from '../drivers/layer-source.js';
import type { Snapshotter } from '../drivers/snapshotter.js';
import { shortId, type Digest } from '../digest.js';
import { sha256Chunks } from '../digest-stream.js';
import { concatBytes } from '../format/concat-bytes.js';
import { gzip } from '../format/gzip.js';
import { layerSource } from '../image-archive/layer-blob.js';
import type { ImageRecord, ImageStore } from '../images/image-store.js';
import { REGISTRY_MEDIA, type RegistryClient } from './registry-client.js';
import type { RegistryReference } from './registry-reference.js';

export interface PushDeps {
  content: ContentStore;
  snapshotter: Snapshotter;
  images: ImageStore;
  layerSource?: LayerSource;
}

interface PushedLayer {
  digest: Digest;
  size: number;
}

/**
 * `docker push` of one tag, as moby's v2 pusher does it: each layer `Preparing` (top first),
 * then, base first, `Layer already exists` when the repository is known to hold its blob (a
 * HEAD says so), `Mounted from <repo>` when another repository of the registry holds it, else
 * gzip-compressed (the engine's one deterministic gzip) and `Pushed`; then the config blob and
 * Docker's schema 2 manifest, `<tag>: digest: sha256:… size: N`. The image remembers the
 * digest (`RepoDigests`) and each layer where it went.
 */
export async function pushImage(
  deps: PushDeps,
  client: RegistryClient,
  ref: RegistryReference,
  image: ImageRecord,
  line: (text: string) => void,
): Promise<Digest> {
  const diffIds = image.config.rootfs.diff_ids;
  for (let i = diffIds.length - 1; i >= 0; i--) line(`${shortId(diffIds[i]!)}: Preparing\n`);
  const layers: PushedLayer[] = [];
  for (const [i, diffId] of diffIds.entries()) layers.push(await pushLayer(deps, client, ref, image.chainIds[i]!, diffId, line));

  const config = await deps.content.get(image.id);
  if ((await client.statBlob(ref.path, image.id)) === undefined) await client.uploadBlob(ref.path, config, image.id);
  const manifest = manifestBytes({ digest: image.id, size: config.length }, layers);
  const digest = await client.putManifest(ref.path, ref.tag, manifest, REGISTRY_MEDIA.manifest);
  deps.images.addRepoDigest(image, `${ref.name}@${digest}`);
  line(`${ref.tag}: digest: ${digest} size: ${manifest.length}\n`);
  return digest;
}

async function pushLayer(
  deps: PushDeps,
  client: RegistryClient,
  ref: RegistryReference,
  chainId: Digest,
  diffId: Digest,
  line: (text: string) => void,
): Promise<PushedLayer> {
  const id = shortId(diffId);
  const sources = deps.images.blobSources.of(diffId).filter((s) => s.repository.startsWith(`${ref.host}/`));
  // moby: a blob this repository is known to hold is checked with a HEAD, never sent again.
  for (const s of sources.filter((s) => s.repository === ref.name)) {
    const size = await client.statBlob(ref.path, s.digest);
    if (size !== undefined) {
      line(`${id}: Layer already exists\n`);
      return { digest: s.digest, size };
    }
  }
  let session: string | undefined;
  for (const s of sources.filter((s) => s.repository !== ref.name)) {
    const from = s.repository.slice(ref.host.length + 1);
    const mounted = await client.mountBlob(ref.path, s.digest, from);
    if (mounted === true) {
      deps.images.blobSources.add(diffId, { digest: s.digest, repository: ref.name });
      line(`${id}: Mounted from ${from}\n`);
      return { digest: s.digest, size: (await client.statBlob(ref.path, s.digest)) ?? 0 };
    }
    // moby: the session a failed mount opened is the one the upload goes on.
    session = mounted.location;
    break;
  }
  const blob = await compressedLayer(deps, chainId, diffId);
  await client.uploadBlob(ref.path, blob.bytes, blob.digest, session);
  deps.images.blobSources.add(diffId, { digest: blob.digest, repository: ref.name });
  line(`${id}: Pushed\n`);
  return { digest: blob.digest, size: blob.bytes.length };
}

/** A layer's tar as the registry gets it: gzip of the bytes its diffID names. */
async function compressedLayer(deps: PushDeps, chainId: Digest, diffId: Digest): Promise<{ bytes: Uint8Array; digest: Digest }> {
  const source = await layerSource(deps.content, deps.snapshotter, chainId, diffId, deps.layerSource, 'pushed');
  const parts: Uint8Array[] = [];
  for await (const c of source.chunks()) parts.push(c);
  const bytes = await gzip(concatBytes(parts));
  return { bytes, digest: await sha256Chunks(bytes) };
}

/** Docker's schema 2 manifest as moby writes it: Go's MarshalIndent with three spaces, no final newline. */
export function manifestBytes(config: { digest: Digest; size: number }, layers: readonly PushedLayer[]): Uint8Array {
  const doc = {
    schemaVersion: 2,
    mediaType: REGISTRY_MEDIA.manifest,
    config: { mediaType: REGISTRY_MEDIA.config, size: config.size, digest: config.digest },
    layers: layers.map((l) => ({ mediaType: REGISTRY_MEDIA.layerGzip, size: l.size, digest: l.digest })),
  };
  return new TextEncoder().encode(JSON.stringify(doc, null, 3));
}
