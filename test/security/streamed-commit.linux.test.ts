import { beforeAll, describe, expect, it } from 'vitest';
import { useLinuxSandboxApp } from '../support/linux-sandbox-app.js';
import { missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';
import { peakGrowth } from '../support/rss.js';
import { command, createSession, type Created } from '../sandbox/api-harness.js';

const run = requirePrereqs('linux', missingLinuxPrereqs());

const MiB = 1024 * 1024;
const LAYER_MIB = 200;

describe.skipIf(!run)('docker commit streams a layer from the upper dir to the store (root)', () => {
  // The container's upper dir, the committed blob and its snapshot: three copies and a margin.
  const sandbox = useLinuxSandboxApp('layerlab-streamed-commit-', { stateBytes: (LAYER_MIB * 3 + 64) * MiB });
  let learner: Created;

  beforeAll(async () => {
    learner = await createSession(sandbox.app);
  });

  it(`commits a container that wrote ${LAYER_MIB} MiB while the server grows by far less than the layer`, async () => {
    const made = await command(sandbox.app, learner, `docker run --name big busybox dd if=/dev/zero of=/big bs=1M count=${LAYER_MIB}`);
    expect(made.json()).toMatchObject({ exitCode: 0 });

    const { result, grown } = await peakGrowth(() => command(sandbox.app, learner, 'docker commit big big:v1'));
    expect(result.json()).toMatchObject({ stderr: '', exitCode: 0 });
    // Each file of the upper dir read whole before its tar streamed, the commit grew the
    // server by more than the layer (228 MiB); read by chunks as the tar reaches it, and the snapshot
    // unpacked from ranges of the stored blob, by a few 4 MiB chunks not yet collected (30 MiB).
    expect(grown).toBeLessThan(64 * MiB);

    // The image holds the file, whole.
    expect((await command(sandbox.app, learner, 'docker run --rm big:v1 wc -c /big')).json()).toMatchObject({
      stdout: `${LAYER_MIB * MiB} /big\n`,
      exitCode: 0,
    });
  });
});
