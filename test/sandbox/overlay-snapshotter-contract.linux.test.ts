import { describe } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';
import { snapshotterContract } from '../contract/snapshotter.contract.js';
import { OverlaySnapshotter } from '../../sandbox-server/linux/overlay-snapshotter.js';

const run = requirePrereqs('linux', missingLinuxPrereqs());

describe.skipIf(!run)('overlay snapshotter', () => {
  snapshotterContract('overlay', async () => {
    const root = await mkdtemp(join(tmpdir(), 'layerlab-snapc-'));
    return { snapshotter: await OverlaySnapshotter.open(root), cleanup: () => rm(root, { recursive: true, force: true }) };
  });
});
