import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { EngineFactory } from '../../sandbox-server/sessions/session.js';
import { DEFAULT_LIMITS } from '../../sandbox-server/sessions/session-limits.js';
import { linuxEngineFactory } from '../../sandbox-server/sessions/linux-engine-factory.js';
import { missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';
import { lessons } from './lesson-files.js';
import { lessonStartingFiles } from './lesson-workspace.js';
import { replayLesson } from './replay.js';
import { failLoudly } from '../support/linux-engine.js';

const run = requirePrereqs('linux', missingLinuxPrereqs());

// The sandbox's half of "lessons are data that CI replays" (replay.test.ts is the
// simulator's): every lesson, both locales, on real overlay mounts and runc, each engine
// a server session whose files the page PUT there, as a lesson page does.
describe.skipIf(!run)('lessons replay on the Linux backend (root)', () => {
  let stateDir: string;
  let factory: EngineFactory;
  let sessions = 0;

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'layerlab-replay-'));
    ({ factory } = await linuxEngineFactory(stateDir));
  });
  afterAll(() => {
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  const sessionEngine = async (lessonPath: string) => {
    const id = `replay-${++sessions}`;
    const root = join(stateDir, 'sessions', id);
    const filesDir = join(root, 'files');
    mkdirSync(filesDir, { recursive: true });
    const engine = await factory({ id, root: { path: root, filesDir, tmpfs: false }, limits: DEFAULT_LIMITS, fail: failLoudly });
    for (const file of lessonStartingFiles(lessonPath)) await engine.workspace!.write(file.path, file.bytes);
    return engine;
  };

  describe.each(['ko', 'en'] as const)('%s', (locale) => {
    it.each(lessons(locale).map((l) => [l.id, l] as const))('%s', { timeout: 300_000 }, async (_, lesson) => {
      await replayLesson(lesson, () => sessionEngine(lesson.path));
    });
  });
});
