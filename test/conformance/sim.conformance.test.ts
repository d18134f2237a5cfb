import { describe, expect, it } from 'vitest';
import { createSimEngine } from '../../src/sim/create-sim-engine.js';
import { FakeClock } from '../engine/support/fake-clock.js';
import { seeded } from '../engine/support/sim-engine.js';
import { hostBaseLayerSource } from '../support/host-base-layer.js';
import { caseWorkspace, recordedCases, replayCase } from './replay-case.js';

/**
 * Every case recorded on the real Docker engine, replayed on the simulator (replay-case.ts;
 * runc.conformance.linux.test.ts replays the same cases on runc).
 */
const cases = recordedCases();

describe('simulator conformance with Docker', () => {
  it('has recorded cases to replay, build cases among them', () => {
    expect(cases.length).toBeGreaterThan(0);
    expect(cases.filter((c) => c.spec.context !== undefined).length).toBeGreaterThanOrEqual(3);
  });

  for (const c of cases) {
    it(c.title, async () => {
      const clock = new FakeClock();
      const context = caseWorkspace(c);
      // The base layer's bytes, as the site's asset gives them to the page's simulator: `push` sends them.
      const engine = await createSimEngine({ clock, random: seeded(7), workspace: context.workspace, layerSource: hostBaseLayerSource() });
      try {
        await replayCase(c, async (cmd) => {
          // A command took a moment on the oracle (a build, seconds): each commit and image is
          // newer than the one before it, as `docker images` sorts them; fake time would tie them.
          await clock.advance((cmd.sleep + 1) * 1000);
          return clock.settle(engine.exec(cmd.command, { env: cmd.env }));
        });
      } finally {
        await clock.settle(engine.dispose());
        context.remove();
      }
    });
  }
});
