import { describe, expect, it } from 'vitest';
import { gradeChallenge } from '../../src/lessons/challenge-grade.js';
import type { Challenge } from '../../src/lessons/lesson.schema.js';
import { anImage, aState } from './state.builders.js';

const challenge: Pick<Challenge, 'goal' | 'nearMisses'> = {
  goal: { kind: 'imageLayers', ref: 'tiny:1', count: 2 },
  nearMisses: [
    { commands: ['docker build -t tiny:1 .'], when: { kind: 'imageLayers', ref: 'tiny:1', count: { min: 3 } }, message: 'too many layers' },
    { commands: ['docker build -t tiny .'], when: { kind: 'imageExists', ref: 'tiny' }, message: 'wrong tag' },
  ],
};

describe('challenge grading', () => {
  it('is met when the goal holds, whatever near miss would also match', () => {
    const state = aState({ images: [anImage({ tags: ['tiny:1', 'tiny:latest'], layers: 2 })] });
    expect(gradeChallenge(challenge, state)).toEqual({ kind: 'met' });
  });

  it('names the first near miss whose state the learner is in, with its message', () => {
    expect(gradeChallenge(challenge, aState({ images: [anImage({ tags: ['tiny:1'], layers: 4 })] }))).toEqual({
      kind: 'nearMiss',
      message: 'too many layers',
    });
    expect(gradeChallenge(challenge, aState({ images: [anImage({ tags: ['tiny:latest'], layers: 2 })] }))).toEqual({
      kind: 'nearMiss',
      message: 'wrong tag',
    });
  });

  it('is unmet, with no message, in a state no near miss describes', () => {
    expect(gradeChallenge(challenge, aState())).toEqual({ kind: 'unmet' });
  });

  it('reads the commands the learner ran, as step goals do', () => {
    const looked: Pick<Challenge, 'goal' | 'nearMisses'> = {
      goal: { kind: 'ran', command: 'docker diff c1' },
      nearMisses: [{ commands: ['docker diff c2'], when: { kind: 'ran', command: 'docker diff' }, message: 'the other one' }],
    };
    expect(gradeChallenge(looked, aState(), {}, ['docker diff c1'])).toEqual({ kind: 'met' });
    expect(gradeChallenge(looked, aState(), {}, ['docker diff c2'])).toEqual({ kind: 'nearMiss', message: 'the other one' });
  });
});
