import { baseImageConfig } from '../base-image/base-image-config.js';
import type { BaseImage } from '../create-engine.js';
import type { Digest } from '../digest.js';
import { sha256Chunks } from '../digest-stream.js';
import { gzip } from '../format/gzip.js';
import { encodeImageConfig } from '../images/image-config.js';
import { manifestBytes } from './push-image.js';
import { REGISTRY_MEDIA, type RegistryClient } from './registry-client.js';

/**
 * The images a learner can pull from `localhost:5000` without pushing first: the backend's
 * own busybox:latest, as `localhost:5000/busybox:latest`. Why only busybox: it is the one
 * image both backends hold byte for byte (the simulator knows its layer by diffID, the site
 * ships the tar); an image built at setup would need the builder on the server and the same
 * build replayed in every page, for nothing a learner cannot build and push in a minute.
 */
export const SEEDED_REPOSITORIES: readonly string[] = ['busybox'];

/** A seeded image: the repository and tag it is served as, the base image it is, each layer's uncompressed tar (base first). */
export interface SeedImage {
  path: string;
  tag: string;
  base: BaseImage;
  layerTar: (diffId: Digest) => Promise<Uint8Array>;
}

/**
 * Puts `seed` into a registry as `docker push` would (push-image.ts): each layer gzip'd by
 * the engine's one deterministic gzip, the config as the engine stores the base image, the
 * manifest as moby writes it — so the simulator's memory registry and the server's real one
 * serve the same manifest digest, which is what a pull records. A blob the registry already
 * serves there is not sent again (a server's seed survives its restarts).
 */
export async function seedImage(client: RegistryClient, seed: SeedImage): Promise<Digest> {
  const layers: { digest: Digest; size: number }[] = [];
  for (const layer of seed.base.layers) {
    const blob = await gzip(await seed.layerTar(layer.diffId));
    const digest = await sha256Chunks(blob);
    if ((await client.statBlob(seed.path, digest)) === undefined) await client.uploadBlob(seed.path, blob, digest);
    layers.push({ digest, size: blob.length });
  }
  const config = encodeImageConfig(baseImageConfig(seed.base));
  const configDigest = await sha256Chunks(config);
  if ((await client.statBlob(seed.path, configDigest)) === undefined) await client.uploadBlob(seed.path, config, configDigest);
  return client.putManifest(seed.path, seed.tag, manifestBytes({ digest: configDigest, size: config.length }, layers), REGISTRY_MEDIA.manifest);
}

const SEEDED_READ_RE = /^\/v2\/(.+)\/(?:manifests|blobs)\/[^/?]+(?:\?.*)?$/;

/**
 * Whether a request the learner's own namespace answered 404 is asked of the seeds instead:
 * a GET of a seeded repository's manifest or blob — what a pull reads. Nothing else falls
 * through: a push's HEAD misses, so a learner's push to `localhost:5000/busybox` uploads
 * into their own namespace and never writes over the seed; a mount `from=busybox` finds
 * nothing of theirs and uploads, on both backends alike.
 */
export function readsSeed(method: string, path: string): boolean {
  if (method !== 'GET') return false;
  const m = SEEDED_READ_RE.exec(path);
  return m !== null && SEEDED_REPOSITORIES.includes(m[1]!);
}
