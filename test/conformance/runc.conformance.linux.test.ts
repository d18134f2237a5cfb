import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { SimRegistryTransport } from '../../src/sim/registry/sim-registry-transport.js';
import { useLinuxEngine } from '../support/linux-engine.js';
import { missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';
import { caseWorkspace, recordedCases, replayCase, type CaseWorkspace } from './replay-case.js';

const run = requirePrereqs('linux', missingLinuxPrereqs());

/**
 * Every case recorded on the real Docker engine, replayed on the Linux backend — overlay
 * mounts and runc — each on an engine of its own, as sim.conformance.test.ts replays them
 * on the simulator (replay-case.ts): the same commands, the same normalised output.
 */
const cases = recordedCases();

describe.skipIf(!run)('Linux backend conformance with Docker (root)', () => {
  it('has recorded cases to replay', () => expect(cases.length).toBeGreaterThan(0));

  for (const c of cases) {
    describe(c.file, () => {
      let context: CaseWorkspace | undefined;
      // A registry at localhost:5000 for the push/pull cases: the simulator's memory registry, so
      // the engine's client runs over runc's layers here; the sandbox's own transport to its
      // docker-registry runs the same transport contract (registry-host).
      const linux = useLinuxEngine(
        'layerlab-case-',
        () => (context = caseWorkspace(c)).workspace,
        () => ({ registry: new SimRegistryTransport() }),
      );
      afterAll(() => context?.remove());

      it(
        c.title,
        async () => {
          await replayCase(c, async (cmd) => {
            if (cmd.sleep > 0) await sleep(cmd.sleep * 1000);
            return linux.engine.exec(cmd.command, { env: cmd.env });
          });
        },
        180_000,
      );
    });
  }
});
