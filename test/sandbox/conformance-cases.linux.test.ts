import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FsWorkspace } from '../../sandbox-server/linux/fs-workspace.js';
import { description, parseCase } from '../conformance/case-file.js';
import { createNormaliser } from '../conformance/normalise.js';
import { useLinuxEngine } from '../support/linux-engine.js';
import { missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';

const run = requirePrereqs('linux', missingLinuxPrereqs());

/**
 * The cases recorded on the Docker oracle about what runc and the kernel make of a
 * container — its init layer, its overlay dirs, how soon a short detached command has
 * exited, a build step's etc files — replayed on the Linux backend, each on an engine of
 * its own, as sim.conformance.test.ts replays them on the simulator.
 */
const cases = join(import.meta.dirname, '..', 'conformance', 'cases');
const FILES = ['container-fs.case', 'detached.case', 'graph-driver.case', 'build/run-etc.case'];

for (const file of FILES) {
  const c = parseCase(readFileSync(join(cases, file), 'utf8'));
  const context = c.context === undefined ? undefined : resolve(cases, file, '..', c.context);
  describe.skipIf(!run)(`Linux backend conformance with Docker (root): ${file}`, () => {
    const linux = useLinuxEngine('layerlab-case-', context === undefined ? undefined : () => new FsWorkspace(context));
    it(description(c), async () => {
      const expected = { out: createNormaliser(c.normalise), err: createNormaliser(c.normalise) };
      const actual = { out: createNormaliser(c.normalise), err: createNormaliser(c.normalise) };
      for (const cmd of c.commands) {
        const r = await linux.engine.exec(cmd.command, { env: cmd.env });
        expect({ command: cmd.command, stdout: actual.out(r.stdout), stderr: actual.err(r.stderr), exitCode: r.exitCode }).toEqual({
          command: cmd.command,
          stdout: expected.out(cmd.stdout),
          stderr: expected.err(cmd.stderr),
          exitCode: cmd.exitCode,
        });
      }
    }, 120_000);
  });
}
