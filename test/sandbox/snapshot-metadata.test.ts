import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_JSON_DOCUMENT_BYTES } from '../../src/engine/json-document.js';
import { SnapshotMetadata } from '../../sandbox-server/linux/snapshot-metadata.js';

const dirs: string[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function aRoot(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'layerlab-meta-'));
  dirs.push(dir);
  return dir;
}

/** A valid metadata file of `count` committed snapshots. */
function metadataOf(count: number): string {
  const snapshots: Record<string, object> = {};
  for (let i = 1; i <= count; i++) snapshots[`sha256:${String(i).padStart(64, '0')}`] = { id: i, kind: 'committed' };
  return JSON.stringify({ version: 1, nextId: count + 1, snapshots }, null, 1);
}

describe(`snapshot metadata is bounded at ${MAX_JSON_DOCUMENT_BYTES} bytes`, () => {
  it('reads back a file within the bound', async () => {
    const root = await aRoot();
    await writeFile(join(root, 'metadata.json'), metadataOf(10));
    expect((await SnapshotMetadata.open(root)).entries()).toHaveLength(10);
  });

  it('refuses a file past the bound by its size, as damaged derived data: a warning, and no snapshots', async () => {
    const root = await aRoot();
    const text = metadataOf(60_000);
    expect(text.length).toBeGreaterThan(MAX_JSON_DOCUMENT_BYTES);
    await writeFile(join(root, 'metadata.json'), text);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const meta = await SnapshotMetadata.open(root);
    expect(meta.entries()).toEqual([]);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/snapshot metadata is too large: .*larger than the 4MiB a JSON document may be/));
  });

  it('refuses a change that would write a file it could not read back, and keeps the last one', async () => {
    const root = await aRoot();
    const meta = await SnapshotMetadata.open(root);
    await meta.update(async (tx) => tx.put('small', { id: tx.allocateId(), kind: 'active' }));
    const before = await readFile(join(root, 'metadata.json'), 'utf8');
    const refused = meta.update(async (tx) => {
      for (let i = 0; i < 60_000; i++) tx.put(`key-${i}-${'x'.repeat(40)}`, { id: tx.allocateId(), kind: 'committed' });
    });
    await expect(refused).rejects.toMatchObject({ code: 'DOCUMENT_TOO_LARGE' });
    expect(await readFile(join(root, 'metadata.json'), 'utf8')).toBe(before);
    expect(meta.entries().map(([k]) => k)).toEqual(['small']);
  });
});
