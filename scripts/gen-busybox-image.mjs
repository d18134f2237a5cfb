// Generates src/sim/base-image/busybox.json: what the simulator needs to know about the
// `busybox:latest` base layer without holding the binary. It builds the layer from the
// host's static busybox with busybox-layer.ts — the one way the sandbox server's base image
// and the site's copy of it are made — so the diffID it records is the one the server's
// real layer tar has.
//
//   node --import tsx scripts/gen-busybox-image.mjs [--busybox /bin/busybox] [--tar out.tar] [--out file.json]
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { busyboxLayer } from '../sandbox-server/linux/busybox-layer.ts';
import { sha256 } from '../src/engine/digest.ts';

const { values } = parseArgs({
  options: {
    busybox: { type: 'string', default: '/bin/busybox' },
    tar: { type: 'string' },
    out: { type: 'string', default: fileURLToPath(new URL('../src/sim/base-image/busybox.json', import.meta.url)) },
  },
});

const { busyboxVersion, appletPaths, binary, tar, diffId, size } = await busyboxLayer(values.busybox);
if (values.tar) writeFileSync(values.tar, tar);

const meta = {
  busyboxVersion,
  binary: { size: binary.length, digest: sha256(binary) },
  appletPaths,
  diffId,
  size,
};
writeFileSync(values.out, `${JSON.stringify(meta, null, 2)}\n`);
console.log(`busybox ${busyboxVersion}: ${appletPaths.length} applets, layer ${diffId} (${size} bytes) → ${values.out}`);
