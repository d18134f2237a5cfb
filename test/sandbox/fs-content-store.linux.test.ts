import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';
import { contentStoreContract } from '../contract/content-store.contract.js';
import { FsContentStore } from '../../sandbox-server/linux/fs-content-store.js';
import { sha256 } from '../../src/engine/digest.js';

const run = requirePrereqs('linux', missingLinuxPrereqs());

describe.skipIf(!run)('on-disk content store', () => {
  const roots: string[] = [];
  afterAll(async () => {
    for (const r of roots) await rm(r, { recursive: true, force: true });
  });
  const make = async () => {
    const root = await mkdtemp(join(tmpdir(), 'layerlab-cas-'));
    roots.push(root);
    return new FsContentStore(root);
  };

  contentStoreContract('fs', make);

  it('keeps blobs as the OCI layout does, and ignores the temp file of an interrupted write', async () => {
    const store = await make();
    const digest = await store.put(new TextEncoder().encode('layer'));
    const dir = join(store.root, 'blobs/sha256');
    expect(await readdir(dir)).toEqual([digest.slice(7)]);
    await writeFile(join(dir, '.tmp-crashed'), 'half');
    expect(await store.list()).toEqual([digest]);
    expect(await new FsContentStore(store.root).get(sha256('layer'))).toEqual(new TextEncoder().encode('layer'));
  });
});
