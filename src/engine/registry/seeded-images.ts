import { baseImageConfig } from '../base-image/base-image-config.js';
import type { BaseImage } from '../create-engine.js';
import { sha256, type Digest } from '../digest.js';
import type { Change } from '../layer/change.js';
import { writeLayerTar } from '../layer/tar.js';
import { sha256Chunks } from '../digest-stream.js';
import { gzip } from '../format/gzip.js';
import { encodeImageConfig } from '../images/image-config.js';
import { manifestBytes } from './push-image.js';
import { REGISTRY_MEDIA, type RegistryClient } from './registry-client.js';

/**
 * The images a learner can pull from `localhost:5000` without pushing first:
 * - `busybox:latest`, the backend's own busybox:latest (pulled, nothing travels: the image is here);
 * - `hello-world:latest`, busybox and one small layer of its own (`/hello.txt`, `CMD cat`), so
 *   a first pull shows both `Already exists` and `Pull complete`, as Docker Hub's hello-world does.
 * Both are made from what every backend holds byte for byte — busybox's layer (the simulator's
 * from the site's asset) and a layer the engine's tar writer makes the same everywhere — so the
 * simulator and the server serve the same digests; nothing is built by the builder, installed or
 * downloaded at setup, and seeding both takes one gzip of busybox's 2 MB layer.
 */
export const SEEDED_REPOSITORIES: readonly string[] = ['busybox', 'hello-world'];

const HELLO_CREATED = '2024-01-02T00:00:00Z';
const HELLO_TEXT = 'Hello from the registry at localhost:5000!\nYou pulled this image without pushing it first.\n';

/** The seeded images on a backend whose busybox:latest is `busybox` and whose busybox layer tar `busyboxTar` reads. */
export function seededImages(busybox: BaseImage, busyboxTar: () => Promise<Uint8Array>): SeedImage[] {
  const changes: Change[] = [
    { kind: 'file', path: '/hello.txt', mode: 0o644, uid: 0, gid: 0, content: { type: 'bytes', bytes: new TextEncoder().encode(HELLO_TEXT) } },
  ];
  const helloTar = writeLayerTar(changes);
  const helloDiffId = sha256(helloTar);
  const createdBy = 'COPY hello.txt /hello.txt # buildkit';
  const hello: BaseImage = {
    reference: 'localhost:5000/hello-world:latest',
    layers: [...busybox.layers, { diffId: helloDiffId, size: HELLO_TEXT.length, changes, createdBy }],
    config: { ...busybox.config, Cmd: ['cat', '/hello.txt'] },
    created: HELLO_CREATED,
    history: [
      ...busybox.history,
      { created: HELLO_CREATED, created_by: createdBy, comment: 'buildkit.dockerfile.v0' },
      { created: HELLO_CREATED, created_by: 'CMD ["cat" "/hello.txt"]', comment: 'buildkit.dockerfile.v0', empty_layer: true },
    ],
  };
  const layerTar = async (diffId: Digest) => (diffId === helloDiffId ? helloTar : busyboxTar());
  return [
    { path: 'busybox', tag: 'latest', base: busybox, layerTar },
    { path: 'hello-world', tag: 'latest', base: hello, layerTar },
  ];
}

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
export async function seedImage(client: RegistryClient, seed: SeedImage, compressed = new Map<Digest, Uint8Array>()): Promise<Digest> {
  const layers: { digest: Digest; size: number }[] = [];
  for (const layer of seed.base.layers) {
    // Seeds share busybox's layer: `compressed` (by diffID) gzips it once for all of them.
    let blob = compressed.get(layer.diffId);
    if (!blob) compressed.set(layer.diffId, (blob = await gzip(await seed.layerTar(layer.diffId))));
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
