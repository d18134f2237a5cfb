import { expect } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import { checkGoal } from '../../src/lessons/goal-check.js';
import type { Lesson } from '../../src/lessons/lesson.schema.js';

export type MakeEngine = () => Engine | Promise<Engine>;

async function run(engine: Engine, commands: string[]): Promise<string> {
  let transcript = '';
  for (const command of commands) {
    const { stdout, stderr, exitCode } = await engine.exec(command);
    transcript += `$ ${command}\n${stdout}${stderr}[exit ${exitCode}]\n`;
  }
  return transcript;
}

/**
 * Replays a lesson as a learner would (STYLE.md principle 7), on any backend: setup,
 * then each step's solution; every goal must be unmet before its step and met after.
 * Each near-miss runs on a fresh engine after the earlier steps' solutions and must
 * leave its goal unmet. The transcript is in every failure message.
 */
export async function replayLesson(lesson: Lesson, makeEngine: MakeEngine): Promise<void> {
  const engine = await makeEngine();
  try {
    let transcript = await run(engine, lesson.setup);
    for (const step of lesson.steps) {
      expect(checkGoal(step.goal, await engine.state()), `${lesson.id}/${step.id}: goal already met before the step\n${transcript}`).toBe(false);
      transcript += await run(engine, step.solution);
      expect(checkGoal(step.goal, await engine.state()), `${lesson.id}/${step.id}: solution does not reach the goal\n${transcript}`).toBe(true);
    }
  } finally {
    await engine.dispose();
  }
  for (const [i, step] of lesson.steps.entries()) {
    if (!step.nearMiss) continue;
    const fresh = await makeEngine();
    try {
      let transcript = await run(fresh, [...lesson.setup, ...lesson.steps.slice(0, i).flatMap((s) => s.solution)]);
      transcript += await run(fresh, step.nearMiss);
      expect(checkGoal(step.goal, await fresh.state()), `${lesson.id}/${step.id}: the near-miss reaches the goal\n${transcript}`).toBe(false);
    } finally {
      await fresh.dispose();
    }
  }
}
