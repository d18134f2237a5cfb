import { describe, expect, it } from 'vitest';
import type { ContentStore } from '../../../src/engine/drivers/content-store.js';
import type { Digest } from '../../../src/engine/digest.js';
import { sha256 } from '../../../src/engine/digest.js';
import { createSimEngine } from '../../../src/sim/create-sim-engine.js';
import { MemoryWorkspace } from '../../../src/sim/memory-workspace.js';
import { archiveOfLayers } from '../../support/gzip-bomb.js';
import { imageArchive, rawTar } from '../../security/hostile-tar.js';

/** A sim engine over these workspace files, and its content store to look into. */
async function engineWith(files: Record<string, Uint8Array>) {
  let content: ContentStore | undefined;
  const engine = await createSimEngine({
    workspace: new MemoryWorkspace(Object.entries(files).map(([path, bytes]) => ({ path, bytes }))),
    decorate: (d) => ((content = d.content), d),
  });
  // The engine unpacks busybox when first asked (create-engine.ts): what its store holds from then on is the "before".
  await engine.state();
  return { engine, content: content! };
}

const good = rawTar([{ name: 'hello.txt', data: 'hello' }]);
const breakout = rawTar([
  { name: 'x', type: '2', linkname: '/etc' },
  { name: 'x/pwned', data: 'pwned' },
]);

// A load streams each layer to the store before its entries are read: what a refused load
// wrote there must go again, and only that.
describe('a refused docker load leaves no blob behind', () => {
  it('a hostile second layer takes the first layer’s blob, stored a moment before, with it', async () => {
    const { engine, content } = await engineWith({ 'hostile.tar': imageArchive([good, breakout]) });
    const before = await content.list();
    const r = await engine.exec('docker load -i hostile.tar');
    expect(r).toMatchObject({ exitCode: 1, error: { code: 'LAYER_BREAKOUT' } });
    expect(await content.list()).toEqual(before);
    expect((await engine.state()).images.map((i) => i.repoTags)).toEqual([['busybox:latest']]);
  });

  it('a layer whose bytes are not its diffID is refused in Docker’s words, and its blob goes', async () => {
    const wrong = Object.assign(good.slice(), { diffId: sha256(breakout) as Digest });
    const { engine, content } = await engineWith({ 'wrong.tar': archiveOfLayers([wrong]) });
    const before = await content.list();
    const r = await engine.exec('docker load -i wrong.tar');
    expect(r).toMatchObject({
      stdout: '',
      stderr: `invalid diffID for layer 0: expected "${sha256(breakout)}", got "${sha256(good)}"\n`,
      exitCode: 1,
      error: { code: 'DIGEST_MISMATCH' },
    });
    expect(await content.list()).toEqual(before);
  });

  it('a blob the store held before the refused load stays: another image is made of it', async () => {
    const { engine, content } = await engineWith({ 'good.tar': imageArchive([good], 'good:v1'), 'hostile.tar': imageArchive([good, breakout]) });
    expect(await engine.exec('docker load -i good.tar')).toMatchObject({ stdout: 'Loaded image: good:v1\n', exitCode: 0 });
    const held = await content.list();
    expect(held).toContain(sha256(good));
    expect(await engine.exec('docker load -i hostile.tar')).toMatchObject({ exitCode: 1, error: { code: 'LAYER_BREAKOUT' } });
    expect(await content.list()).toEqual(held);
    expect(await engine.exec('docker save -o back.tar good:v1')).toMatchObject({ exitCode: 0 });
  });
});
