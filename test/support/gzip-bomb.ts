import { createHash } from 'node:crypto';
import { createGzip } from 'node:zlib';
import { writeArchive } from '../../src/engine/image-archive/archive-tar.js';
import type { Digest } from '../../src/engine/digest.js';
import { BLOCK, encodeHeader } from '../../src/engine/layer/tar-header.js';

const MiB = 1024 * 1024;

/** gzip of a layer tar holding one file of `mib` MiB of zeros, compressed as it is made
 * (≈ 1 KB per MiB), with the diffID of the tar it unpacks to: what a learner can PUT into a session and `docker load`. */
export async function gzipBombLayer(mib: number): Promise<Uint8Array & { diffId: Digest }> {
  const gz = createGzip({ level: 9 });
  const hash = createHash('sha256');
  const out: Buffer[] = [];
  gz.on('data', (c: Buffer) => out.push(c));
  const ended = new Promise((resolve) => gz.on('end', resolve));
  const write = async (chunk: Uint8Array) => {
    hash.update(chunk);
    if (!gz.write(chunk)) await new Promise((resolve) => gz.once('drain', resolve));
  };
  await write(encodeHeader({ name: 'zeros', mode: 0o644, uid: 0, gid: 0, size: mib * MiB, mtime: 0, type: '0', linkname: '' }));
  const zeros = new Uint8Array(MiB);
  for (let i = 0; i < mib; i++) await write(zeros);
  await write(new Uint8Array(BLOCK * 2));
  gz.end();
  await ended;
  return Object.assign(new Uint8Array(Buffer.concat(out)), { diffId: `sha256:${hash.digest('hex')}` as Digest });
}

/** A `docker save` archive of one image with these layers. */
export function archiveOfLayers(layers: readonly (Uint8Array & { diffId: Digest })[]): Uint8Array {
  const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
  const diffIds = layers.map((l) => l.diffId);
  const config = enc({
    architecture: 'amd64',
    os: 'linux',
    config: {},
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: layers.map(() => ({ created_by: 'bomb' })),
  });
  const paths = layers.map((_, i) => `layer${i}.tar.gz`);
  return writeArchive([
    { path: 'config.json', bytes: config, mtime: 0 },
    ...layers.map((bytes, i) => ({ path: paths[i]!, bytes, mtime: 0 })),
    { path: 'manifest.json', bytes: enc([{ Config: 'config.json', RepoTags: ['bomb:latest'], Layers: paths }]), mtime: 0 },
  ]);
}
