import { describe, it } from 'vitest';
import { createSimEngine } from '../../src/sim/create-sim-engine.js';
import { lessons } from './lesson-files.js';
import { lessonWorkspace } from './lesson-workspace.js';
import { replayLesson } from './replay.js';
import { hostBaseLayerSource } from '../support/host-base-layer.js';

// The simulator's half of "lessons are data that CI replays" (replay.linux.test.ts is the
// sandbox's), with the build context the lesson page gives the simulator and the base layer's
// bytes the site ships (a push of a busybox-based image sends them; the seeded registry is made of them).
const layerSource = hostBaseLayerSource();

describe.each(['ko', 'en'] as const)('lessons replay on the simulator (%s)', (locale) => {
  // A lesson is dozens of commands (stop's grace period in real time): more than the default 5 s on a busy machine.
  it.each(lessons(locale).map((l) => [l.id, l] as const))('%s', { timeout: 60_000 }, async (_, lesson) => {
    await replayLesson(lesson, () => createSimEngine({ workspace: lessonWorkspace(lesson.path), layerSource }));
  });
});
