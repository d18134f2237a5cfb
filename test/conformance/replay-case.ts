import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { expect } from 'vitest';
import { FsWorkspace } from '../../sandbox-server/linux/fs-workspace.js';
import type { CommandResult } from '../../src/engine/engine.js';
import type { Workspace } from '../../src/engine/drivers/workspace.js';
import { MemoryWorkspace } from '../../src/sim/memory-workspace.js';
import { checkoutContext } from './case-context.js';
import { description, parseCase, type CaseCommand, type ConformanceCase } from './case-file.js';
import { createNormaliser } from './normalise.js';

/**
 * The one runner of the cases recorded on the Docker oracle (test/conformance/cases/**):
 * every case replays on the simulator (sim.conformance.test.ts) and on runc
 * (runc.conformance.linux.test.ts), so "sim = real = Docker" is checked for every command
 * a case records, on both backends, by the same comparison.
 */
export const CASES_DIR = join(import.meta.dirname, 'cases');

export interface RecordedCase {
  /** The case file relative to the cases dir, e.g. `build/cached.case`: the test's name. */
  file: string;
  spec: ConformanceCase;
  /** The test's title: the file and what the case checks. */
  title: string;
}

/** Every recorded case, in and below the cases dir, sorted by path. */
export function recordedCases(): RecordedCase[] {
  return caseFiles(CASES_DIR).map((path) => {
    const file = relative(CASES_DIR, path);
    const spec = parseCase(readFileSync(path, 'utf8'));
    return { file, spec, title: `${file}: ${description(spec)}` };
  });
}

function caseFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? caseFiles(join(dir, e.name)) : e.name.endsWith('.case') ? [join(dir, e.name)] : []))
    .sort();
}

export interface CaseWorkspace {
  workspace: Workspace;
  /** Removes the context's copy, if the case has one. */
  remove(): void;
}

/**
 * The workspace a case's commands run in: its `@context` dir as the oracle saw it (git's
 * modes, case-context.ts), or an empty one — the oracle ran those in an empty temp dir.
 */
export function caseWorkspace(c: RecordedCase): CaseWorkspace {
  if (c.spec.context === undefined) return { workspace: new MemoryWorkspace(), remove: () => {} };
  const dir = checkoutContext(resolve(CASES_DIR, c.file, '..', c.spec.context));
  return { workspace: new FsWorkspace(dir), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** How a backend runs one of a case's commands, after letting the command's `@sleep` pass. */
export type RunCommand = (cmd: CaseCommand) => Promise<CommandResult>;

/**
 * Replays a case's commands in order: each must print what the oracle printed (both
 * normalised alike, normalise.ts) and exit with its code. Fails at the first command that
 * differs, naming it, as later commands build on its state.
 */
export async function replayCase(c: RecordedCase, run: RunCommand): Promise<void> {
  const rules = c.spec.normalise;
  const expected = { out: createNormaliser(rules), err: createNormaliser(rules) };
  const actual = { out: createNormaliser(rules), err: createNormaliser(rules) };
  for (const cmd of c.spec.commands) {
    const r = await run(cmd);
    const where = `${c.file}:${cmd.line}`;
    expect({ where, command: cmd.command, stdout: actual.out(r.stdout), stderr: actual.err(r.stderr), exitCode: r.exitCode }).toEqual({
      where,
      command: cmd.command,
      stdout: expected.out(cmd.stdout),
      stderr: expected.err(cmd.stderr),
      exitCode: cmd.exitCode,
    });
  }
}
