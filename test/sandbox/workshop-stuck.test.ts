import { describe, expect, it } from 'vitest';
import { DEFAULT_STUCK_SETTINGS, failStreakOf, median, slowAfterMs, stepDurationsOf, stuckOf } from '../../sandbox-server/workshops/stuck.js';

const s = DEFAULT_STUCK_SETTINGS;
const MIN = 60_000;

describe('who is stuck', () => {
  it('takes the median of the class, the middle two averaged', () => {
    expect(median([])).toBeUndefined();
    expect(median([5])).toBe(5);
    expect(median([9, 1, 5])).toBe(5);
    expect(median([1, 10, 2, 3])).toBe(2.5);
  });

  it('is slow past K × the step median, never under the floor, and K × the floor with no median yet', () => {
    expect(slowAfterMs(2 * MIN, s)).toBe(6 * MIN);
    expect(slowAfterMs(10_000, s)).toBe(2 * MIN);
    expect(slowAfterMs(undefined, s)).toBe(6 * MIN);
    const now = 100 * MIN;
    const on = (minutes: number) => ({ stepSince: now - minutes * MIN, failStreak: 0 });
    expect(stuckOf(on(5.9), now, 2 * MIN, s)).toBeNull();
    expect(stuckOf(on(6.1), now, 2 * MIN, s)).toBe('slow');
    expect(stuckOf(on(1.9), now, 5_000, s)).toBeNull();
    expect(stuckOf(on(2.1), now, 5_000, s)).toBe('slow');
    expect(stuckOf(on(5), now, undefined, s)).toBeNull();
    expect(stuckOf({ stepSince: null, failStreak: 0 }, now, 1, s)).toBeNull();
    expect(stuckOf(on(7), now, 2 * MIN, { ...s, slowFactor: 4 })).toBeNull();
  });

  it('is failing when the last N commands failed, before slow', () => {
    const now = 100 * MIN;
    expect(stuckOf({ stepSince: now, failStreak: 2 }, now, undefined, s)).toBeNull();
    expect(stuckOf({ stepSince: now - 60 * MIN, failStreak: 3 }, now, MIN, s)).toBe('failing');
    const c = (exitCode: number) => ({ command: 'x', exitCode });
    const step = { command: null, exitCode: null };
    expect(failStreakOf([c(1), c(1), c(0), c(2), step, c(1), c(127)])).toBe(3);
    expect(failStreakOf([c(1), c(1), c(1), c(0)])).toBe(0);
    expect(failStreakOf([])).toBe(0);
  });

  it("times each step a learner finished, from reaching it to reaching the next, and not the one they're on", () => {
    const e = (step: number, at: number, lesson = '01-hello') => ({ lesson, step, at });
    expect(stepDurationsOf([e(0, 0), e(0, 10), e(1, 30), e(1, 35), e(2, 100), e(0, 160, '02-images')])).toEqual([
      ['01-hello 0', 30],
      ['01-hello 1', 70],
      ['01-hello 2', 60],
    ]);
    expect(stepDurationsOf([e(0, 5)])).toEqual([]);
  });
});
