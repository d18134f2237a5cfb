import { describe, expect, it } from 'vitest';
import { sha256 } from '../../../src/engine/digest.js';
import type { Snapshotter } from '../../../src/engine/drivers/snapshotter.js';
import { DigestMismatch } from '../../../src/engine/errors.js';
import { archiveChunks, readArchive, writeArchive, type ArchiveEntry } from '../../../src/engine/image-archive/archive-tar.js';
import { InvalidArchive } from '../../../src/engine/image-archive/archive-errors.js';
import { layerSource } from '../../../src/engine/image-archive/layer-blob.js';
import type { Change } from '../../../src/engine/layer/change.js';
import { writeLayerTar } from '../../../src/engine/layer/tar.js';
import { MemoryContentStore } from '../../../src/sim/memory-content-store.js';
import { MemoryWorkspace } from '../../../src/sim/memory-workspace.js';
import { aDir, aFile, bytes } from '../../support/builders.js';

/** A snapshotter that knows one committed layer's entries, and nothing else. */
function snapshotterOf(changes: Change[]): Snapshotter {
  return { changes: async () => changes } as unknown as Snapshotter;
}

const layer = [aDir('/app'), aFile('/app/data', 'x'.repeat(3000)), aFile('/app/more', 'y')];
const tar = writeLayerTar(layer);

describe('docker save, streamed', () => {
  it('writes the same bytes as the archive held whole, a layer streamed from its source', async () => {
    const entries: ArchiveEntry[] = [
      { path: 'blobs', mtime: 5 },
      { path: 'blobs/sha256/aa', bytes: bytes('config'), mtime: 5 },
      { path: 'blobs/sha256/bb', bytes: tar, mtime: 5 },
    ];
    const source = await layerSource(new MemoryContentStore(), snapshotterOf(layer), sha256('chain'), sha256(tar));
    expect(source.size).toBe(tar.length);
    const ws = new MemoryWorkspace();
    await ws.writeStream('out.tar', archiveChunks(entries.map((e) => (e.path.endsWith('bb') ? { path: e.path, source, mtime: e.mtime } : e))));
    expect(await ws.read('out.tar')).toEqual(writeArchive(entries));
  });

  it('reads a stored layer from the content store by chunks, as it is stored', async () => {
    const content = new MemoryContentStore();
    const stored = bytes('a loaded layer keeps its exact bytes');
    const diffId = await content.put(stored);
    const source = await layerSource(content, snapshotterOf(layer), sha256('chain'), diffId);
    const ws = new MemoryWorkspace();
    await ws.writeStream('out.tar', archiveChunks([{ path: 'layer.tar', source, mtime: 0 }]));
    expect(await readArchive((await ws.read('out.tar'))!).read('layer.tar')).toEqual(stored);
  });

  it('fails a save whose rebuilt layer does not reproduce its diffID, leaving no file', async () => {
    const source = await layerSource(new MemoryContentStore(), snapshotterOf(layer), sha256('chain'), sha256('another layer'));
    const ws = new MemoryWorkspace();
    await expect(ws.writeStream('out.tar', archiveChunks([{ path: 'layer.tar', source, mtime: 0 }]))).rejects.toBeInstanceOf(DigestMismatch);
    expect(await ws.list()).toEqual([]);
  });

  it('fails a save whose blob changed size under it rather than write a torn tar', async () => {
    const source = {
      size: 10,
      async *chunks() {
        yield bytes('only five');
      },
    };
    const ws = new MemoryWorkspace();
    await expect(ws.writeStream('out.tar', archiveChunks([{ path: 'layer.tar', source, mtime: 0 }]))).rejects.toBeInstanceOf(InvalidArchive);
    expect(await ws.list()).toEqual([]);
  });
});
