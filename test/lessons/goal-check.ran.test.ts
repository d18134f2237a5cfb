import { describe, expect, it } from 'vitest';
import { checkGoal } from '../../src/lessons/goal-check.js';
import { goalSchema, type Goal } from '../../src/lessons/goal.js';
import { newlyCompleted } from '../../src/lessons/step-progress.js';
import { aContainer, aState } from './state.builders.js';

// Observation checks: a step whose point is in what a command prints ends once the learner ran it.
describe('ran goal', () => {
  const diff: Goal = { kind: 'ran', command: 'docker diff c1' };

  it('is met by a command that starts with its words, however the learner spaced them', () => {
    expect(checkGoal(diff, aState(), {}, ['docker diff c1'])).toBe(true);
    expect(checkGoal(diff, aState(), {}, ['docker ps', '  docker   diff  c1 '])).toBe(true);
    expect(checkGoal({ kind: 'ran', command: 'docker history' }, aState(), {}, ['docker history hello:1'])).toBe(true);
  });

  it('is not met by another container, a shorter command, a word that merely starts the same, or nothing', () => {
    expect(checkGoal(diff, aState(), {}, ['docker diff c2'])).toBe(false);
    expect(checkGoal(diff, aState(), {}, ['docker diff'])).toBe(false);
    expect(checkGoal(diff, aState(), {}, ['docker diff c10'])).toBe(false);
    expect(checkGoal(diff, aState(), {}, ['docker ps -a'])).toBe(false);
    expect(checkGoal(diff, aState())).toBe(false);
  });

  it('combines with a state goal: the state made and the look taken', () => {
    const step: Goal = { kind: 'all', goals: [{ kind: 'containers', name: 'c1' }, diff] };
    const made = aState({ containers: [aContainer({ name: 'c1' })] });
    expect(checkGoal(step, made, {}, [])).toBe(false);
    expect(checkGoal(step, aState(), {}, ['docker diff c1'])).toBe(false);
    expect(checkGoal(step, made, {}, ['docker diff c1'])).toBe(true);
    expect(newlyCompleted([{ id: 'look', goal: step }], new Set(), made, {}, ['docker diff c1'])).toEqual(['look']);
    expect(newlyCompleted([{ id: 'look', goal: step }], new Set(), made)).toEqual([]);
  });

  it('takes docker commands only, as words', () => {
    expect(goalSchema.safeParse(diff).success).toBe(true);
    expect(goalSchema.safeParse({ kind: 'ran', command: 'ls /' }).success).toBe(false);
    expect(goalSchema.safeParse({ kind: 'ran', command: 'docker  diff' }).success).toBe(false);
    expect(goalSchema.safeParse({ kind: 'ran', command: 'docker' }).success).toBe(false);
  });
});
