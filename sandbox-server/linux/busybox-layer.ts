import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { busyboxRootfs } from '../../src/engine/base-image/busybox.js';
import type { Digest } from '../../src/engine/digest.js';
import type { Change } from '../../src/engine/layer/change.js';
import { layerOf } from '../../src/engine/layer/tar.js';

const run = promisify(execFile);

/**
 * busybox:latest's one layer from a busybox binary, with the engine's recipe: the one way
 * the sandbox's base image (base-image.ts) and the site's copy of it for the simulator's
 * `docker save` (scripts/build-base-layer.mjs) are made, so the two are the same bytes —
 * and what scripts/gen-busybox-image.mjs records for the simulator (`appletPaths`, the
 * binary's size and digest, the diffID).
 */
export async function busyboxLayer(busybox: string): Promise<{
  busyboxVersion: string;
  appletPaths: string[];
  binary: Uint8Array;
  changes: Change[];
  tar: Uint8Array;
  diffId: Digest;
  size: number;
}> {
  const bytes = new Uint8Array(await readFile(busybox));
  // busybox with no applet prints its banner and exits 1.
  const banner =
    (await run(busybox, [], { encoding: 'utf8' }).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }))).stdout.split('\n')[0] ?? '';
  const busyboxVersion = /^BusyBox v(\S+)/.exec(banner)?.[1];
  if (busyboxVersion === undefined) throw new Error(`${busybox} is not busybox: it printed ${JSON.stringify(banner)}`);
  const appletPaths = (await run(busybox, ['--list-full'], { encoding: 'utf8' })).stdout.split('\n').filter(Boolean).sort();
  const changes = busyboxRootfs({ appletPaths, binary: { type: 'bytes', bytes } });
  return { busyboxVersion, appletPaths, binary: bytes, changes, ...layerOf(changes) };
}
