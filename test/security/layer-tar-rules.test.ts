import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../src/engine/errors.js';
import { checkLayerEntries } from '../../src/engine/layer/layer-path.js';
import { readLayerTar, writeLayerTar } from '../../src/engine/layer/tar.js';
import { simEngine } from '../engine/builder/sim-fixture.js';
import { aDir, aFile, aSymlink } from '../support/builders.js';
import { entryArb, hostileLayers, imageArchive, rawTar, type RawEntry } from './hostile-tar.js';

/**
 * moby pkg/archive's rules, held by the engine's tar reader so that the simulator refuses
 * the archives the server refuses, with the same typed error: nothing is unpacked outside
 * the layer, and a symlink of the layer is never the parent of a later entry.
 */
const HOST_DIR = '/tmp/layerlab-sentinel';
const HOST_FILE = `${HOST_DIR}/sentinel`;

describe('the layer tar reader refuses hostile archives', () => {
  for (const { name, entries, refused, code } of hostileLayers(HOST_DIR, HOST_FILE)) {
    it(`${name}: ${refused ? 'refused with a clear error' : 'kept beneath the layer'}`, () => {
      const tar = rawTar(entries);
      if (refused) {
        expect(() => readLayerTar(tar)).toThrow(refused);
        expect(() => readLayerTar(tar)).toThrow(expect.objectContaining({ code }));
      } else {
        const changes = readLayerTar(tar);
        expect(() => checkLayerEntries(changes)).not.toThrow();
      }
    });
  }

  it('gives each refusal a stable code', () => {
    const code = (entries: RawEntry[]) => {
      try {
        readLayerTar(rawTar(entries));
      } catch (err) {
        return (err as EngineError).code;
      }
      return 'accepted';
    };
    expect(code([{ name: 'x', type: '2', linkname: '/etc' }, { name: 'x/f' }])).toBe('LAYER_BREAKOUT');
    expect(code([{ name: '../f' }])).toBe('LAYER_BREAKOUT');
    expect(code([{ name: 'l', type: '1', linkname: '../../etc/shadow' }])).toBe('LAYER_BREAKOUT');
    expect(code([{ name: 'f' }, { name: 'f/g' }])).toBe('INVALID_LAYER');
    expect(code([{ name: 'x', type: '2', linkname: '/etc' }])).toBe('accepted');
  });

  it('lets a later non-directory replace a directory its entries implied, taking them with it', () => {
    const changes = readLayerTar(
      rawTar([
        { name: 'x/f', data: 'f' },
        { name: 'x', type: '2', linkname: '/etc' },
      ]),
    );
    expect(changes.map((c) => [c.kind, c.path])).toEqual([['symlink', '/x']]);
  });
});

describe('apply refuses entries beneath a symlink on the simulator too', () => {
  it('checkLayerEntries: a symlink or a file as the parent of another entry', () => {
    expect(() => checkLayerEntries([aSymlink('/x', '/etc'), aFile('/x/f')])).toThrow(/invalid symlink "\/x" -> "\/etc": "\/x\/f" is beneath it/);
    expect(() => checkLayerEntries([aFile('/x'), aDir('/x/d')])).toThrow(/not a directory/);
    expect(() => checkLayerEntries([aDir('/x'), aFile('/x/f'), aSymlink('/y', '/x')])).not.toThrow();
  });
});

describe('hostile archives on the simulator', () => {
  it('docker load refuses them with an exit code and Docker-like words, registering nothing', async () => {
    for (const { name, entries, refused } of hostileLayers(HOST_DIR, HOST_FILE)) {
      if (!refused) continue;
      const sim = await simEngine({ 'hostile.tar': imageArchive([writeLayerTar([aFile('/ok', 'ok')]), rawTar(entries)]) });
      const before = await sim.engine.state();
      const snapshots = await sim.snapshotter.list();
      const r = await sim.engine.exec('docker load -i hostile.tar');
      expect(r.exitCode, name).toBe(1);
      expect(r.stderr, name).toMatch(/^failed to register layer: Error processing tar file\(exit status 1\): /);
      expect(r.stderr, name).toMatch(refused);
      const after = await sim.engine.state();
      // Not even the harmless first layer is kept.
      expect(after.images, name).toEqual(before.images);
      expect(await sim.snapshotter.list(), name).toEqual(snapshots);
    }
  });

  it('ADD of a hostile tar fails the build with the reason', async () => {
    const tar = rawTar([
      { name: 'x', type: '2', linkname: HOST_DIR },
      { name: 'x/pwned', data: 'pwned' },
    ]);
    const sim = await simEngine({ Dockerfile: 'FROM busybox\nADD evil.tar /\n', 'evil.tar': tar });
    const r = await sim.engine.exec('docker build -q -t evil .');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/failed to copy files: invalid symlink "\/x" -> "\/tmp\/layerlab-sentinel": "x\/pwned" is beneath it/);
    expect((await sim.engine.state()).images.map((i) => i.repoTags)).toEqual([['busybox:latest']]);
  });
});

/** What every read must end in: a typed error, or entries that unpack beneath the layer. */
function readsSafely(tar: Uint8Array): void {
  let changes;
  try {
    changes = readLayerTar(tar);
  } catch (err) {
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).message.length).toBeGreaterThan(0);
    return;
  }
  checkLayerEntries(changes);
  for (const c of changes) expect(c.path.split('/')).not.toContain('..');
}

describe('the tar reader, property-based', () => {
  it('random archives: typed error or entries beneath the layer, never a crash', () => {
    fc.assert(
      fc.property(fc.array(entryArb(), { maxLength: 8 }), (entries) => readsSafely(rawTar(entries))),
      { numRuns: 400 },
    );
  });

  it('mutated archives: the same', () => {
    const base = rawTar([
      { name: 'd/', type: '5' },
      { name: 'd/f', data: 'hello' },
      { name: 'd/l', type: '2', linkname: '../etc' },
      { name: 'd/h', type: '1', linkname: 'd/f' },
      { name: `${'p'.repeat(120)}/f`, data: 'x' },
    ]);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(base.length - 1), fc.nat(255)), { minLength: 1, maxLength: 12 }), fc.boolean(), (flips, fixChecksums) => {
        const tar = base.slice();
        for (const [at, value] of flips) tar[at] = value;
        if (fixChecksums) rechecksum(tar);
        readsSafely(tar);
      }),
      { numRuns: 400 },
    );
  });
});

/** Rewrites every header block's checksum, so a mutation reaches the reader's rules. */
export function rechecksum(tar: Uint8Array): void {
  for (let off = 0; off + 512 <= tar.length; off += 512) {
    const h = tar.subarray(off, off + 512);
    if (String.fromCharCode(...h.subarray(257, 262)) !== 'ustar') continue;
    h.fill(0x20, 148, 156);
    let sum = 0;
    for (const b of h) sum += b;
    const text = sum.toString(8).padStart(6, '0');
    for (let i = 0; i < 6; i++) h[148 + i] = text.charCodeAt(i);
    h[154] = 0;
    h[155] = 0x20;
  }
}
