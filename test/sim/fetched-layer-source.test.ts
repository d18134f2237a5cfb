import { describe, expect, it } from 'vitest';
import { createSimEngine } from '../../src/sim/create-sim-engine.js';
import { fetchedLayerSource } from '../../src/sim/fetched-layer-source.js';
import { busyboxImageMeta } from '../../src/sim/base-image/index.js';

describe('docker save of a busybox image in the simulator, where the site has no base layer', () => {
  it("says why it cannot save: the site was built without the layer's bytes (a 404 for its asset)", async () => {
    const asked: string[] = [];
    const notFound = (async (url: string) => {
      asked.push(url);
      return new Response('not found', { status: 404 });
    }) as typeof fetch;
    const engine = await createSimEngine({ layerSource: fetchedLayerSource('https://layerlab.test/', notFound) });
    const r = await engine.exec('docker save -o b.tar busybox');
    expect(r.exitCode).toBe(1);
    expect(asked).toEqual([`https://layerlab.test/base-layers/${busyboxImageMeta.diffId.slice(7)}.tar`]);
    expect(r.stderr).toBe(
      `Error response from daemon: layer ${busyboxImageMeta.diffId} holds content this backend does not have (/bin/busybox): this site was built without the base layer's bytes (${asked[0]}: busybox-static was not installed where it was built); only images not based on it can be saved here\n`,
    );
    expect(r.error?.code).toBe('LAYER_CONTENT_UNAVAILABLE');
    engine.dispose();
  });

  it('refuses bytes that are not the layer its diffID names, and keeps none of them', async () => {
    const wrong = (async () => new Response(new Uint8Array(1024))) as unknown as typeof fetch;
    const engine = await createSimEngine({ layerSource: fetchedLayerSource('https://layerlab.test', wrong) });
    const r = await engine.exec('docker save -o b.tar busybox');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/unexpected digest sha256:[0-9a-f]{64}, expected sha256:473926b5/);
    engine.dispose();
  });
});
