import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useLinuxSandboxApp } from '../support/linux-sandbox-app.js';
import { missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';
import { peakGrowth } from '../support/rss.js';
import { command, createSession, type Created } from '../sandbox/api-harness.js';

const run = requirePrereqs('linux', missingLinuxPrereqs());

const MiB = 1024 * 1024;
const LAYER_MIB = 200;

// The commit before the save reads the layer's files (200 MiB): heldRss collects first, so the
// save's growth is measured from what the server really holds, not from freed heap it reuses.

describe.skipIf(!run)('docker save streams a layer from the store to the file (root)', () => {
  // The container's upper dir, the committed blob and snapshot, then the archive: four copies and a margin.
  const sandbox = useLinuxSandboxApp('layerlab-streamed-save-', { stateBytes: (LAYER_MIB * 4 + 64) * MiB });
  let learner: Created;

  beforeAll(async () => {
    learner = await createSession(sandbox.app);
  });

  it(`saves an image with a ${LAYER_MIB} MiB layer while the server grows by far less than the layer`, async () => {
    const made = await command(sandbox.app, learner, `docker run --name big busybox dd if=/dev/zero of=/big bs=1M count=${LAYER_MIB}`);
    expect(made.json()).toMatchObject({ exitCode: 0 });
    expect((await command(sandbox.app, learner, 'docker commit big big:v1')).json()).toMatchObject({ stderr: '', exitCode: 0 });
    expect((await command(sandbox.app, learner, 'docker rm big')).json()).toMatchObject({ exitCode: 0 });

    const { result, grown } = await peakGrowth(() => command(sandbox.app, learner, 'docker save -o big.tar big:v1'));
    expect(result.json()).toMatchObject({ exitCode: 0, stderr: '' });
    // Held whole — the layer read from the store, then the archive concatenated from it —
    // the save grew the server by twice the layer (405 MiB); streamed, by a few 4 MiB
    // chunks not yet collected (37 MiB).
    expect(grown).toBeLessThan(64 * MiB);

    const file = join(sandbox.stateDir, 'sessions', learner.id, 'files', 'big.tar');
    expect(statSync(file).size).toBeGreaterThan(LAYER_MIB * MiB);
    // A tar the host's tar reads, the layer blob at its full size.
    const listing = execFileSync('tar', ['-tvf', file], { encoding: 'utf8' });
    const sizes = listing
      .split('\n')
      .filter((l) => l.includes('blobs/sha256/'))
      .map((l) => Number(l.trim().split(/\s+/)[2]));
    expect(Math.max(...sizes)).toBeGreaterThan(LAYER_MIB * MiB);
  });
});
