import { bytesReader } from '../drivers/bytes-reader.js';
import { chainIds, isDigest, type Digest } from '../digest.js';
import { registerLayers } from '../image-archive/load-images.js';
import type { OciManifest } from '../image-archive/oci-types.js';
import type { ImageConfig } from '../images/image-config.js';
import { checkDocumentSize } from '../json-document.js';
import { resolveManifest, type PullDeps } from './pull-image.js';
import type { RegistryClient } from './registry-client.js';
import { RegistryContentInvalid } from './registry-errors.js';
import type { RegistryReference } from './registry-reference.js';

/** What BuildKit's `load metadata for …` learns of a FROM image: its manifest and config. */
export interface ResolvedBase {
  /** `localhost:5000/base:latest@sha256:…`: the FROM vertex's name and what `resolve` names. */
  pinned: string;
  manifest: { digest: Digest; size: number };
  config: { digest: Digest; bytes: Uint8Array };
  /** The manifest's layer blobs, base first, beside the config's diffIDs. */
  layers: { digest: Digest; size: number; diffId: Digest }[];
}

/** A base image's layers in the store: what the build stands on. */
export interface PulledBase {
  id: Digest;
  config: ImageConfig;
  chainIds: Digest[];
}

/**
 * BuildKit's image source for a FROM image not in the store (moby's builder-next
 * `containerimage` puller): the manifest and config resolved first, then the layers the store
 * lacks downloaded and put through `docker load`'s checks (diffIDs, the unpack budget, the
 * hostile-tar rules) with no image made of them — moby's classic image store never lists the
 * base BuildKit pulled. One per registry reference.
 */
export class BuildkitImageSource {
  constructor(
    private readonly deps: PullDeps,
    private readonly client: RegistryClient,
    private readonly ref: RegistryReference,
  ) {}

  /** The manifest (this host's, from an index) and the config; `ManifestNotFound` when the registry has no such tag. */
  async resolve(): Promise<ResolvedBase> {
    const { deps, client, ref } = this;
    const doc = await resolveManifest(deps, client, ref);
    let manifest: OciManifest;
    try {
      manifest = JSON.parse(new TextDecoder().decode(doc.bytes)) as OciManifest;
    } catch (err) {
      throw new RegistryContentInvalid(`invalid manifest: ${(err as Error).message}`);
    }
    const configDigest = manifest?.config?.digest;
    if (typeof configDigest !== 'string' || !isDigest(configDigest)) throw new RegistryContentInvalid('manifest has no config digest');
    const blobs = manifest.layers ?? [];
    for (const l of blobs)
      if (typeof l?.digest !== 'string' || !isDigest(l.digest)) throw new RegistryContentInvalid('manifest names a layer without a digest');
    const config = await client.getBlob(ref.path, configDigest);
    checkDocumentSize(config.length, 'image config');
    let diffIds: unknown;
    try {
      diffIds = (JSON.parse(new TextDecoder().decode(config)) as { rootfs?: { diff_ids?: unknown } }).rootfs?.diff_ids;
    } catch (err) {
      throw new RegistryContentInvalid(`invalid image config: ${(err as Error).message}`);
    }
    if (!Array.isArray(diffIds) || diffIds.length !== blobs.length || !diffIds.every((d) => typeof d === 'string' && isDigest(d)))
      throw new RegistryContentInvalid(
        `invalid manifest, layers length mismatch: expected ${blobs.length}, got ${Array.isArray(diffIds) ? diffIds.length : 0}`,
      );
    return {
      pinned: `${ref.ref}@${doc.digest}`,
      manifest: { digest: doc.digest, size: doc.bytes.length },
      config: { digest: configDigest, bytes: config },
      layers: blobs.map((l, i) => ({ digest: l.digest, size: Number(l.size) || 0, diffId: diffIds[i] as Digest })),
    };
  }

  /**
   * The layers the store lacks, downloaded and registered; `status` hears BuildKit's lines
   * for the FROM vertex in the order moby's puller reports them — `resolve`, each layer's
   * `extracting`, then the manifest's, the config's and each downloaded layer's bytes. A config
   * that is an image here already (pushed from this store, as `docker push` of busybox) is that
   * image: moby's puller (`Snapshot`) takes it from the image store after `resolve`, fetching
   * and reporting nothing more — recorded on the Docker 20.10 oracle (build/buildkit-from-local-config.case).
   */
  async pull(resolved: ResolvedBase, status: (line: PullStatus) => void): Promise<PulledBase> {
    const { deps, client, ref } = this;
    const local = deps.images.images.get(resolved.config.digest);
    if (local && local.chainIds.every((c) => deps.images.layers.has(c))) {
      status({ kind: 'resolve', text: resolved.pinned });
      return { id: local.id, config: local.config, chainIds: local.chainIds };
    }
    const chains = chainIds(resolved.layers.map((l) => l.diffId));
    const missing = chains.map((c) => !deps.images.layers.has(c));
    const layerBytes: Uint8Array[] = [];
    for (const [i, l] of resolved.layers.entries()) {
      // A layer here already is read back from the store when its tar is kept there; else fetched.
      const stored = !missing[i] && (await deps.content.stat(l.diffId)) ? await deps.content.get(l.diffId) : undefined;
      layerBytes.push(stored ?? (await client.getBlob(ref.path, l.digest)));
    }
    status({ kind: 'resolve', text: resolved.pinned });
    const config = await registerLayers(deps, { config: resolved.config.bytes, layers: layerBytes.map((bytes) => ({ source: bytesReader(bytes) })) });
    for (const [i, l] of resolved.layers.entries()) if (missing[i]) status({ kind: 'extracting', text: l.digest });
    status({ kind: 'bytes', text: resolved.manifest.digest, size: resolved.manifest.size });
    status({ kind: 'bytes', text: resolved.config.digest, size: resolved.config.bytes.length });
    for (const [i, l] of resolved.layers.entries()) if (missing[i]) status({ kind: 'download', text: l.digest, size: layerBytes[i]!.length });
    return { id: resolved.config.digest, config, chainIds: chains };
  }
}

/** One status line of BuildKit's FROM vertex: `resolve <ref>`, `extracting <digest>` (both
 * timed), a blob's bytes (`<digest> 735B / 735B`), a downloaded layer's (timed). */
export interface PullStatus {
  kind: 'resolve' | 'extracting' | 'bytes' | 'download';
  text: string;
  size?: number;
}
