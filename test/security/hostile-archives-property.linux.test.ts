import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { writeLayerTar } from '../../src/engine/layer/tar.js';
import { MemoryWorkspace } from '../../src/sim/memory-workspace.js';
import { aFile } from '../support/builders.js';
import { useLinuxEngine } from '../support/linux-engine.js';
import { missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';
import { HostSentinel } from './host-sentinel.js';
import { entryArb, imageArchive, rawTar } from './hostile-tar.js';

const run = requirePrereqs('linux', missingLinuxPrereqs());

/**
 * Random archives, aimed at a sentinel dir outside the session, through `docker load` and
 * `ADD x.tar /` on runc: whatever they hold, the command ends with an exit code (and a
 * message when it fails), the server goes on, and the sentinel is as it was. Few runs: each
 * is a real unpack (and a build for ADD).
 */
describe.skipIf(!run)('random archives through load and ADD on runc (root)', () => {
  const sentinel = run ? new HostSentinel('layerlab-prop-') : undefined!;
  const linux = useLinuxEngine('layerlab-prop-engine-', () => new MemoryWorkspace());
  afterAll(() => sentinel.remove());
  const before = run ? sentinel.state() : [];
  const write = (path: string, bytes: Uint8Array) => linux.engine.workspace!.write(path, bytes);
  const endsClearly = (r: { exitCode: number; stderr: string }) => {
    expect(Number.isInteger(r.exitCode)).toBe(true);
    if (r.exitCode !== 0) expect(r.stderr.trim().length).toBeGreaterThan(0);
    expect(sentinel.state()).toEqual(before);
  };

  it('docker load: an exit code and a message, never a write outside the session', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(entryArb(sentinel.dir), { minLength: 1, maxLength: 6 }), async (entries) => {
        await write('random.tar', imageArchive([writeLayerTar([aFile('/ok', 'ok')]), rawTar(entries)], `random:v${n++}`));
        endsClearly(await linux.engine.exec('docker load -i random.tar'));
      }),
      { numRuns: 25 },
    );
    // The server still works after them.
    expect((await linux.engine.exec('docker run --rm busybox true')).exitCode).toBe(0);
  }, 240_000);

  it('ADD x.tar /: the same', async () => {
    await write('add/Dockerfile', new TextEncoder().encode('FROM busybox\nADD random.tar /\n'));
    await fc.assert(
      fc.asyncProperty(fc.array(entryArb(sentinel.dir), { minLength: 1, maxLength: 6 }), async (entries) => {
        await write('add/random.tar', rawTar(entries));
        endsClearly(await linux.engine.exec('docker build -q add'));
      }),
      { numRuns: 8 },
    );
  }, 240_000);
});
