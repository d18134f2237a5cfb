// Generates src/sim/base-image/busybox.json: what the simulator needs to know about the
// `busybox:latest` base layer without holding the binary. It builds the layer from the
// host's static busybox with the same recipe the simulator and the sandbox server use,
// so the diffID it records is the one the server's real layer tar has.
//
//   node --import tsx scripts/gen-busybox-image.mjs [--busybox /bin/busybox] [--tar out.tar] [--out file.json]
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { busyboxRootfs } from '../src/engine/base-image/busybox.ts';
import { sha256 } from '../src/engine/digest.ts';
import { layerOf } from '../src/engine/layer/tar.ts';

const { values } = parseArgs({
  options: {
    busybox: { type: 'string', default: '/bin/busybox' },
    tar: { type: 'string' },
    out: { type: 'string', default: fileURLToPath(new URL('../src/sim/base-image/busybox.json', import.meta.url)) },
  },
});

const binary = new Uint8Array(readFileSync(values.busybox));
const banner = execFileSync(values.busybox, [], { encoding: 'utf8' }).split('\n')[0] ?? '';
const version = /^BusyBox v(\S+)/.exec(banner)?.[1];
if (version === undefined) throw new Error(`not a busybox binary: ${values.busybox} printed ${JSON.stringify(banner)}`);
const appletPaths = execFileSync(values.busybox, ['--list-full'], { encoding: 'utf8' })
  .split('\n')
  .filter((line) => line !== '')
  .sort();

const changes = busyboxRootfs({ appletPaths, binary: { type: 'bytes', bytes: binary } });
const { tar, diffId, size } = layerOf(changes);
if (values.tar) writeFileSync(values.tar, tar);

const meta = {
  busyboxVersion: version,
  binary: { size: binary.length, digest: sha256(binary) },
  appletPaths,
  diffId,
  size,
};
writeFileSync(values.out, `${JSON.stringify(meta, null, 2)}\n`);
console.log(`busybox ${version}: ${appletPaths.length} applets, layer ${diffId} (${size} bytes) → ${values.out}`);
