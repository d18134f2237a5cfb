import { describe, expect, it } from 'vitest';
import { DecompressedTooLarge } from '../../../src/engine/image-archive/archive-errors.js';
import { gunzip } from '../../../src/engine/image-archive/decompress.js';
import { createSimEngine } from '../../../src/sim/create-sim-engine.js';
import { MemoryWorkspace } from '../../../src/sim/memory-workspace.js';
import { archiveOfLayers, gzipBombLayer } from '../../support/gzip-bomb.js';

const MiB = 1024 * 1024;

describe('decompression capped as it streams', () => {
  it('gives back what fits', async () => {
    const layer = await gzipBombLayer(1);
    expect((await gunzip(layer, { maxBytes: 2 * MiB })).length).toBe(MiB + 3 * 512);
  });

  it('refuses a gzip bomb as soon as it passes the cap, without holding what it holds', async () => {
    const bomb = await gzipBombLayer(96);
    expect(bomb.length).toBeLessThan(128 * 1024);
    const heapBefore = process.memoryUsage().arrayBuffers;
    const refused = await gunzip(bomb, { maxBytes: 4 * MiB }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(DecompressedTooLarge);
    expect((refused as DecompressedTooLarge).code).toBe('DECOMPRESSED_TOO_LARGE');
    // Counted, not kept: nothing like the 96 MiB it unpacks to was held.
    expect(process.memoryUsage().arrayBuffers - heapBefore).toBeLessThan(16 * MiB);
  });

  it('docker load of a bomb says why and registers nothing; the engine goes on', async () => {
    const workspace = new MemoryWorkspace([{ path: 'bomb.tar', bytes: archiveOfLayers([await gzipBombLayer(32)]) }]);
    const engine = await createSimEngine({ workspace, limits: { unpackBytes: 16 * MiB } });
    const r = await engine.exec('docker load -i bomb.tar');
    expect(r).toEqual({
      stdout: '',
      stderr: 'decompressed data is larger than this sandbox allows (16MiB)\n',
      exitCode: 1,
      error: { code: 'DECOMPRESSED_TOO_LARGE', details: { maxBytes: 16 * MiB } },
    });
    expect((await engine.state()).images.map((i) => i.repoTags)).toEqual([['busybox:latest']]);
    expect((await engine.exec('docker run --rm busybox echo ok')).stdout).toBe('ok\n');
  });

  it('counts every layer of one archive against one budget', async () => {
    const layer = await gzipBombLayer(3);
    // Each 3 MiB layer fits a 4 MiB budget alone...
    const one = await createSimEngine({
      workspace: new MemoryWorkspace([{ path: 'one.tar', bytes: archiveOfLayers([layer]) }]),
      limits: { unpackBytes: 4 * MiB },
    });
    expect(await one.exec('docker load -i one.tar')).toMatchObject({ stdout: 'Loaded image: bomb:latest\n', exitCode: 0 });
    // ...two of them in one archive do not.
    const two = await createSimEngine({
      workspace: new MemoryWorkspace([{ path: 'two.tar', bytes: archiveOfLayers([layer, layer]) }]),
      limits: { unpackBytes: 4 * MiB },
    });
    expect((await two.exec('docker load -i two.tar')).stderr).toMatch(/larger than this sandbox allows/);
  });

  it('an ADD of a compressed bomb fails the build with the reason', async () => {
    const workspace = new MemoryWorkspace([
      { path: 'Dockerfile', bytes: new TextEncoder().encode('FROM busybox\nADD bomb.tar.gz /x/\n') },
      { path: 'bomb.tar.gz', bytes: await gzipBombLayer(32) },
    ]);
    const engine = await createSimEngine({ workspace, limits: { unpackBytes: 16 * MiB } });
    const r = await engine.exec('docker build -q .');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('decompressed data is larger than this sandbox allows (16MiB)');
  });
});
