import { sha256, type Digest } from '../../../src/engine/digest.js';
import { gzip } from '../../../src/engine/format/gzip.js';
import { manifestBytes } from '../../../src/engine/registry/push-image.js';
import { RegistryClient, REGISTRY_MEDIA } from '../../../src/engine/registry/registry-client.js';
import type { SimRegistryTransport } from '../../../src/sim/registry/sim-registry-transport.js';

/** Puts an image whose one layer is `tar` (gzip'd) under `localhost:5000/<repo>:latest`, with the config naming `diffId`. */
export async function seedImage(registry: SimRegistryTransport, repo: string, tar: Uint8Array, diffId: Digest = sha256(tar)): Promise<void> {
  const client = new RegistryClient(registry, 'localhost:5000');
  const layer = await gzip(tar);
  await client.uploadBlob(repo, layer, sha256(layer));
  const config = new TextEncoder().encode(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: {},
      rootfs: { type: 'layers', diff_ids: [diffId] },
      created: '2026-01-01T00:00:00Z',
      history: [{ created: '2026-01-01T00:00:00Z', created_by: 'x' }],
    }),
  );
  await client.uploadBlob(repo, config, sha256(config));
  await client.putManifest(
    repo,
    'latest',
    manifestBytes({ digest: sha256(config), size: config.length }, [{ digest: sha256(layer), size: layer.length }]),
    REGISTRY_MEDIA.manifest,
  );
}
