import type { BaseImage } from '../../engine/create-engine.js';
import type { LayerSource } from '../../engine/drivers/layer-source.js';
import { RegistryClient } from '../../engine/registry/registry-client.js';
import { seedImage } from '../../engine/registry/seeded-images.js';
import { MemoryRegistry } from './memory-registry.js';
import { SimRegistryTransport } from './sim-registry-transport.js';

const seeded = new WeakMap<LayerSource, Promise<MemoryRegistry | undefined>>();

/**
 * The simulator's seeded images (`localhost:5000/busybox`), in a memory registry of their
 * own beneath every engine's: built the first time a pull asks (the layer's tar comes from
 * `layerSource`, fetched once, as `docker save` gets it), then shared by every engine on the
 * same source, read-only. Without the layer (a site built without it) there are no seeds:
 * the pull says `manifest unknown`, as a registry without the image does.
 */
export function simSeeds(layerSource: LayerSource, busybox: BaseImage): () => Promise<MemoryRegistry | undefined> {
  return () => {
    let built = seeded.get(layerSource);
    if (!built) {
      built = build(layerSource, busybox);
      seeded.set(layerSource, built);
    }
    return built;
  };
}

async function build(layerSource: LayerSource, busybox: BaseImage): Promise<MemoryRegistry | undefined> {
  const registry = new MemoryRegistry();
  const client = new RegistryClient(new SimRegistryTransport(registry), 'localhost:5000');
  const layerTar = async (diffId: Parameters<LayerSource['fetch']>[0]) => {
    const got = await layerSource.fetch(diffId);
    if ('missing' in got) throw new Error(got.missing);
    return got.tar;
  };
  try {
    await seedImage(client, { path: 'busybox', tag: 'latest', base: busybox, layerTar });
  } catch {
    return undefined;
  }
  return registry;
}
