import { describe, it } from 'vitest';
import { createSimEngine } from '../../src/sim/create-sim-engine.js';
import { lessons } from './lesson-files.js';
import { lessonWorkspace } from './lesson-workspace.js';
import { replayLesson } from './replay.js';

// The simulator's half of "lessons are data that CI replays"; the sandbox's half runs the
// same replayLesson on the Linux backend.
describe.each(['ko', 'en'] as const)('lessons replay on the simulator (%s)', (locale) => {
  it.each(lessons(locale).map((l) => [l.id, l] as const))('%s', async (_, lesson) => {
    const workspace = lessonWorkspace(lesson.path);
    await replayLesson(lesson, () => createSimEngine(workspace ? { workspace } : {}));
  });
});
