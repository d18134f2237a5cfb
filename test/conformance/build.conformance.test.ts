import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FsWorkspace } from '../../sandbox-server/linux/fs-workspace.js';
import { createSimEngine } from '../../src/sim/create-sim-engine.js';
import { FakeClock } from '../engine/support/fake-clock.js';
import { seeded } from '../engine/support/sim-engine.js';
import { description, parseCase } from './case-file.js';
import { createNormaliser } from './normalise.js';

/**
 * The build cases recorded on the real Docker engine (first builds, cache hits after a
 * no-op rebuild, misses after a one-byte change, history, multi-stage), replayed on the
 * simulator with each case's context directory as the workspace.
 */
const dir = join(import.meta.dirname, 'cases', 'build');
const files = readdirSync(dir).filter((f) => f.endsWith('.case')).sort();

describe('simulator build conformance with Docker', () => {
  it('has recorded build cases to replay', () => expect(files.length).toBeGreaterThanOrEqual(3));

  for (const file of files) {
    const c = parseCase(readFileSync(join(dir, file), 'utf8'));
    it(`${file}: ${description(c)}`, async () => {
      expect(c.context, 'a build case names its context').toBeDefined();
      const clock = new FakeClock();
      const engine = await createSimEngine({ clock, random: seeded(7), workspace: new FsWorkspace(resolve(dir, c.context!)) });
      const expected = { out: createNormaliser(c.normalise), err: createNormaliser(c.normalise) };
      const actual = { out: createNormaliser(c.normalise), err: createNormaliser(c.normalise) };
      try {
        for (const cmd of c.commands) {
          // A build took seconds on the oracle, so each image is newer than the one
          // before it (`docker images` sorts by that); fake time would make them tie.
          await clock.advance((cmd.sleep + 1) * 1000);
          const r = await clock.settle(engine.exec(cmd.command, { env: cmd.env }));
          expect({ command: cmd.command, stdout: actual.out(r.stdout), stderr: actual.err(r.stderr), exitCode: r.exitCode }).toEqual({
            command: cmd.command,
            stdout: expected.out(cmd.stdout),
            stderr: expected.err(cmd.stderr),
            exitCode: cmd.exitCode,
          });
        }
      } finally {
        await clock.settle(engine.dispose());
      }
    });
  }
});
