import { describe, expect, it } from 'vitest';
import type { StateSnapshot } from '../../src/engine/state.js';
import type { ChallengeGrade, GradedChallenge } from '../../src/lessons/challenge-grade.js';
import { GoalChecker } from '../../src/lessons/goal-checker.js';
import type { Goal } from '../../src/lessons/goal.js';
import { aContainer, aState } from './state.builders.js';

const steps: { id: string; goal: Goal }[] = [
  { id: 'run', goal: { kind: 'containerStatus', name: 'web', status: 'running' } },
  { id: 'look', goal: { kind: 'ran', command: 'docker diff web' } },
  { id: 'second', goal: { kind: 'containers', status: 'running', count: { min: 2 } } },
];
const challenge: GradedChallenge = { goal: { kind: 'containers', name: 'db' }, nearMisses: [] };
const web = aContainer({ name: 'web', status: 'running' });

/** A lesson's checker over a state the test sets, recording what it was told — as `<ll-lesson>` and the embed's panel use it. */
function aLesson(options: { challenge?: GradedChallenge; steps?: { id: string; goal: Goal }[] } = {}) {
  const done = new Set<string>();
  const told: string[] = [];
  const grades: ChallengeGrade['kind'][] = [];
  let state: StateSnapshot = aState();
  let reads = 0;
  let gate: Promise<void> | undefined;
  const checker = new GoalChecker({
    steps: options.steps ?? steps,
    completed: () => new Set(done),
    read: async () => {
      reads += 1;
      const seen = state;
      await gate;
      return { state: seen, files: {} };
    },
    challenge: () => options.challenge,
    stepDone: (id) => {
      done.add(id);
      told.push(id);
    },
    graded: (grade) => grades.push(grade.kind),
  });
  return {
    checker,
    done,
    told,
    grades,
    set: (next: StateSnapshot) => (state = next),
    hold: () => {
      let release!: () => void;
      gate = new Promise((resolve) => (release = resolve));
      return () => {
        gate = undefined;
        release();
      };
    },
    get reads() {
      return reads;
    },
  };
}

describe('the goal checker', () => {
  it('finishes steps in order, one command perhaps two, never skipping one', async () => {
    const lesson = aLesson();
    lesson.set(aState({ containers: [web, aContainer({ status: 'running' })] }));
    await lesson.checker.check();
    // Two running, but `look` is not done yet: `second` waits for it.
    expect(lesson.told).toEqual(['run']);
    await lesson.checker.commandFinished('docker diff web', 0);
    expect(lesson.told).toEqual(['run', 'look', 'second']);
  });

  it('counts only commands that succeeded', async () => {
    const lesson = aLesson();
    await lesson.checker.commandFinished('docker diff web', 1);
    lesson.set(aState({ containers: [web] }));
    await lesson.checker.check();
    expect(lesson.told).toEqual(['run']);
    await lesson.checker.commandFinished('docker diff web', 0);
    expect(lesson.told).toEqual(['run', 'look']);
  });

  it('counts for the next step only the commands run after the last step ended', async () => {
    const lesson = aLesson({
      steps: [
        { id: 'list', goal: { kind: 'ran', command: 'docker ps' } },
        { id: 'run', goal: { kind: 'containerStatus', name: 'web', status: 'running' } },
        { id: 'look', goal: { kind: 'ran', command: 'docker diff web' } },
      ],
    });
    await lesson.checker.commandFinished('docker diff web', 0);
    await lesson.checker.commandFinished('docker ps', 0);
    expect(lesson.told).toEqual(['list']);
    lesson.set(aState({ containers: [web] }));
    await lesson.checker.check();
    // The diff ran before `list` ended: it is not `look`'s.
    expect(lesson.told).toEqual(['list', 'run']);
    await lesson.checker.commandFinished('docker diff web', 0);
    expect(lesson.told).toEqual(['list', 'run', 'look']);
  });

  it('checks once at a time: a check asked for meanwhile runs after, on the newer state', async () => {
    const lesson = aLesson();
    const release = lesson.hold();
    const first = lesson.checker.check();
    lesson.set(aState({ containers: [web] }));
    expect(await lesson.checker.check()).toBe(false);
    expect(await lesson.checker.commandFinished('docker diff web', 0)).toBe(false);
    expect(lesson.reads).toBe(1);
    release();
    expect(await first).toBe(true);
    // The first pass saw the empty state; the one run again saw the container and the command.
    expect(lesson.reads).toBe(2);
    expect(lesson.told).toEqual(['run', 'look']);
  });

  it('grades the challenge only once every step is done, and not in the check that finished the last', async () => {
    const lesson = aLesson({ challenge });
    await lesson.checker.check();
    expect(lesson.grades).toEqual([]);
    lesson.set(aState({ containers: [web, aContainer({ status: 'running' })] }));
    await lesson.checker.commandFinished('docker diff web', 0);
    expect([lesson.told, lesson.grades]).toEqual([['run', 'look', 'second'], []]);
    await lesson.checker.check();
    expect(lesson.grades).toEqual(['unmet']);
    lesson.set(aState({ containers: [web, aContainer({ name: 'db', status: 'running' })] }));
    await lesson.checker.check();
    expect(lesson.grades).toEqual(['unmet', 'met']);
  });

  it('grades nothing when the lesson has no challenge (or it was met)', async () => {
    const lesson = aLesson();
    lesson.set(aState({ containers: [web, aContainer({ status: 'running' })] }));
    await lesson.checker.commandFinished('docker diff web', 0);
    await lesson.checker.check();
    expect([lesson.done.size, lesson.grades]).toEqual([3, []]);
  });
});
