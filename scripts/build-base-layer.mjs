// Writes busybox:latest's layer tar into the built site (`<dir>/base-layers/<hex>.tar`),
// for the simulator's `docker save` (src/sim/fetched-layer-source.ts): built from the
// host's busybox-static with the recipe the sandbox server uses (busybox-layer.ts), and
// only when its diffID is the one the simulator records (src/sim/base-image/busybox.json),
// so a tar saved in the browser is byte for byte the sandbox's. Without busybox-static, or
// with another busybox, it writes nothing and says so; the simulator then says why it
// cannot save.
//
//   node --import tsx scripts/build-base-layer.mjs DIR
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hostBusybox } from '../sandbox-server/linux/linux-backend.ts';
import { busyboxLayer } from '../sandbox-server/linux/busybox-layer.ts';
import { busyboxImageMeta } from '../src/sim/base-image/index.ts';
import { baseLayerPath } from '../src/sim/fetched-layer-source.ts';

const dir = process.argv[2];
if (!dir) throw new Error('usage: build-base-layer.mjs DIR');
let busybox;
try {
  busybox = hostBusybox();
} catch (error) {
  console.log(`base layer not written: ${error.message}; the simulator's docker save of busybox images will say so`);
  process.exit(0);
}
const { tar, diffId, busyboxVersion } = await busyboxLayer(busybox);
if (diffId !== busyboxImageMeta.diffId) {
  console.log(
    `base layer not written: ${busybox} (busybox ${busyboxVersion}) makes layer ${diffId}, the simulator records ${busyboxImageMeta.diffId} (scripts/gen-busybox-image.mjs)`,
  );
  process.exit(0);
}
const out = join(dir, baseLayerPath(diffId));
await mkdir(join(out, '..'), { recursive: true });
await writeFile(out, tar);
console.log(`base layer ${diffId} (${tar.length} bytes) → ${out}`);
