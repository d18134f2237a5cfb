import type { LayerSource } from '../../src/engine/drivers/layer-source.js';
import { busyboxLayer } from '../../sandbox-server/linux/busybox-layer.js';
import { hostBusybox } from '../../sandbox-server/linux/linux-backend.js';

/**
 * busybox:latest's layer tar for a test's simulator, made from the host's busybox-static
 * with the server's recipe (as the site build makes `base-layers/<hex>.tar`): what `docker
 * save` and `docker push` of a busybox-based image read in a browser. Built once, when first
 * asked; without busybox-static the layer is `missing` and says why.
 */
export function hostBaseLayerSource(): LayerSource {
  let built: Promise<Uint8Array> | undefined;
  return {
    async fetch(diffId) {
      try {
        built ??= busyboxLayer(hostBusybox()).then((l) => l.tar);
        const tar = await built;
        return { tar };
      } catch (err) {
        return { missing: `${(err as Error).message} (layer ${diffId})` };
      }
    },
  };
}
