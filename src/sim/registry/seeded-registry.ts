import type { BaseImage } from '../../engine/create-engine.js';
import type { LayerSource } from '../../engine/drivers/layer-source.js';
import { RegistryClient } from '../../engine/registry/registry-client.js';
import { seedImage, seededImages } from '../../engine/registry/seeded-images.js';
import { MemoryRegistry } from './memory-registry.js';
import { SimRegistryTransport } from './sim-registry-transport.js';

const seeded = new WeakMap<LayerSource, Promise<MemoryRegistry | undefined>>();

/**
 * The simulator's seeded images (`localhost:5000/busybox`, `hello-world`), in a memory registry of their
 * own beneath every engine's: built the first time a pull asks (the layer's tar comes from
 * `layerSource`, fetched once, as `docker save` gets it), then shared by every engine on the
 * same source, read-only. Without the layer (a site built without it) there are no seeds:
 * the pull says `manifest unknown`, as a registry without the image does.
 */
export function simSeeds(layerSource: LayerSource, busybox: () => BaseImage): () => Promise<MemoryRegistry | undefined> {
  return () => {
    let built = seeded.get(layerSource);
    if (!built) {
      built = build(layerSource, busybox());
      seeded.set(layerSource, built);
    }
    return built;
  };
}

async function build(layerSource: LayerSource, busybox: BaseImage): Promise<MemoryRegistry | undefined> {
  const registry = new MemoryRegistry();
  const client = new RegistryClient(new SimRegistryTransport(registry), 'localhost:5000');
  const busyboxTar = async () => {
    const got = await layerSource.fetch(busybox.layers[0]!.diffId);
    if ('missing' in got) throw new Error(got.missing);
    return got.tar;
  };
  try {
    const compressed = new Map();
    for (const seed of seededImages(busybox, busyboxTar)) await seedImage(client, seed, compressed);
  } catch {
    return undefined;
  }
  return registry;
}
