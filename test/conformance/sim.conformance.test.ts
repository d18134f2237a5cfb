import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSimEngine } from '../../src/sim/create-sim-engine.js';
import { FakeClock } from '../engine/support/fake-clock.js';
import { seeded } from '../engine/support/sim-engine.js';
import { description, parseCase } from './case-file.js';
import { createNormaliser } from './normalise.js';

/**
 * Every case recorded on the real Docker engine, replayed on the simulator: the same
 * commands must print the same (normalised) output and exit with the same codes.
 */
const dir = join(import.meta.dirname, 'cases');
const files = readdirSync(dir).filter((f) => f.endsWith('.case')).sort();

describe('simulator conformance with Docker', () => {
  it('has recorded cases to replay', () => expect(files.length).toBeGreaterThan(0));

  for (const file of files) {
    const c = parseCase(readFileSync(join(dir, file), 'utf8'));
    it(`${file}: ${description(c)}`, async () => {
      const clock = new FakeClock();
      const engine = await createSimEngine({ clock, random: seeded(7) });
      const expected = { out: createNormaliser(c.normalise), err: createNormaliser(c.normalise) };
      const actual = { out: createNormaliser(c.normalise), err: createNormaliser(c.normalise) };
      try {
        for (const cmd of c.commands) {
          // A command takes a moment on a real engine: two commits never share a `created`.
          await clock.advance(100 + cmd.sleep * 1000);
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
