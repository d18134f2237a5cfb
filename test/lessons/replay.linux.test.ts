import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { EngineFactory } from '../../sandbox-server/sessions/session.js';
import { DEFAULT_LIMITS } from '../../sandbox-server/sessions/session-limits.js';
import { linuxEngineFactory } from '../../sandbox-server/sessions/linux-engine-factory.js';
import { missingRegistryPrereqs, requirePrereqs } from '../support/prereqs.js';
import { RegistryHost } from '../../sandbox-server/linux/registry-host.js';
import { lessons } from './lesson-files.js';
import { lessonStartingFiles } from './lesson-workspace.js';
import { replayLesson } from './replay.js';
import { failLoudly } from '../support/linux-engine.js';

const run = requirePrereqs('registry', missingRegistryPrereqs());

// The sandbox's half of "lessons are data that CI replays" (replay.test.ts is the
// simulator's): every lesson, both locales, on real overlay mounts and runc, each engine
// a server session whose files the page PUT there, as a lesson page does.
describe.skipIf(!run)('lessons replay on the Linux backend (root)', () => {
  let stateDir: string;
  let factory: EngineFactory;
  let sessions = 0;
  // The server's registry (lesson 12 pushes and pulls), seeded as main.ts seeds it; each replay a session of its own.
  let registry: RegistryHost | undefined;

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'layerlab-replay-'));
    const linux = await linuxEngineFactory(stateDir, () => registry);
    factory = linux.factory;
    registry = await RegistryHost.open({ stateDir, seeds: linux.seeds });
  });
  afterAll(async () => {
    await registry?.stop();
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
