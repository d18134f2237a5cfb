import { describe, expect, it } from 'vitest';
import { DEFAULT_STUCK_SETTINGS, failStreakOf, median, slowAfterMs, stepDurationsOf, stuckOf } from '../../sandbox-server/workshops/stuck.js';
import { STUCK_SETTINGS_RANGE, stuckSettingsOf } from '../../sandbox-server/workshops/stuck-settings.js';
import { LiveClass } from '../../sandbox-server/workshops/live-class.js';
import { START_POSITION } from '../../sandbox-server/workshops/workshop-types.js';

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

  it("flags by the workshop's own settings: 2 failures, 1.5 × the median, a 30 s floor", () => {
    const own = { slowFactor: 1.5, slowFloorMs: 30_000, failingCommands: 2 };
    const now = 100 * MIN;
    const on = (seconds: number, failStreak = 0) => ({ stepSince: now - seconds * 1000, failStreak });
    expect(stuckOf(on(0, 2), now, undefined, own)).toBe('failing');
    expect(stuckOf(on(0, 2), now, undefined, s)).toBeNull();
    expect(slowAfterMs(4 * MIN, own)).toBe(6 * MIN);
    expect(slowAfterMs(10_000, own)).toBe(30_000);
    expect(slowAfterMs(undefined, own)).toBe(45_000);
    // 40 s on a step the class does in 10 s: slow by these settings, not by the defaults (2 min floor).
    expect(stuckOf(on(40), now, 10_000, own)).toBe('slow');
    expect(stuckOf(on(40), now, 10_000, s)).toBeNull();
    expect(stuckOf(on(29), now, 10_000, own)).toBeNull();
    expect(stuckOf(on(44), now, undefined, own)).toBeNull();
    expect(stuckOf(on(46), now, undefined, own)).toBe('slow');
  });

  it('re-flags the live class when the settings change, naming only the learners whose flag moved', () => {
    const klass = new LiveClass(DEFAULT_STUCK_SETTINGS, () => false);
    const learner = (id: string) => ({ id, workshopId: 'w', displayName: id, handle: `${id}-1`, joinedAt: 0, position: START_POSITION });
    const failed = (exitCode: number) => ({ lesson: '01-hello', step: 0, command: 'x', exitCode, at: 0 });
    klass.add(learner('two-failures'), [failed(1), failed(1)], 0);
    klass.add(learner('one-failure'), [failed(0), failed(1)], 0);
    klass.add(learner('fine'), [failed(1), failed(0)], 0);
    expect(klass.rows().map((r) => r.stuck)).toEqual([null, null, null]);
    expect(klass.useSettings({ ...DEFAULT_STUCK_SETTINGS, failingCommands: 2 }, 0)).toEqual(['two-failures']);
    expect(klass.useSettings({ ...DEFAULT_STUCK_SETTINGS, failingCommands: 1 }, 0)).toEqual(['one-failure']);
    expect(klass.rows().map((r) => r.stuck)).toEqual(['failing', 'failing', null]);
    expect(klass.useSettings(DEFAULT_STUCK_SETTINGS, 0).sort()).toEqual(['one-failure', 'two-failures']);
  });
});

describe("a workshop's stuck settings", () => {
  it('are the defaults, or each one given over them', () => {
    expect(stuckSettingsOf(undefined)).toEqual({ slowFactor: 3, slowFloorMs: 120_000, failingCommands: 3 });
    expect(stuckSettingsOf({ failingCommands: 5 })).toEqual({ slowFactor: 3, slowFloorMs: 120_000, failingCommands: 5 });
    expect(stuckSettingsOf({ slowFactor: 2.5 }, { slowFactor: 4, slowFloorMs: 60_000, failingCommands: 2 })).toEqual({
      slowFactor: 2.5,
      slowFloorMs: 60_000,
      failingCommands: 2,
    });
    const r = STUCK_SETTINGS_RANGE;
    const edges = { slowFactor: r.slowFactor.max, slowFloorMs: r.slowFloorMs.min, failingCommands: r.failingCommands.max };
    expect(stuckSettingsOf(edges)).toEqual(edges);
  });

  it('refuses what is out of range, not whole where it must be, not a number, or not a setting — naming it', () => {
    const refusal = (change: Record<string, unknown>) => {
      try {
        stuckSettingsOf(change);
        return 'taken';
      } catch (error) {
        return `${(error as { code: string }).code}: ${(error as Error).message}`;
      }
    };
    expect(refusal({ failingCommands: 0 })).toBe('INVALID_WORKSHOP: stuckSettings.failingCommands must be a whole number from 1 to 20, got 0');
    expect(refusal({ failingCommands: 2.5 })).toMatch(/^INVALID_WORKSHOP: stuckSettings.failingCommands must be a whole number/);
    expect(refusal({ failingCommands: 21 })).toMatch(/failingCommands/);
    expect(refusal({ slowFactor: 0.5 })).toBe('INVALID_WORKSHOP: stuckSettings.slowFactor must be a number from 1 to 10, got 0.5');
    expect(refusal({ slowFactor: 10.01 })).toMatch(/slowFactor/);
    expect(refusal({ slowFactor: Number.NaN })).toMatch(/slowFactor must be a number/);
    expect(refusal({ slowFactor: Infinity })).toMatch(/slowFactor must be a number/);
    expect(refusal({ slowFactor: '3' })).toBe('INVALID_WORKSHOP: stuckSettings.slowFactor must be a number from 1 to 10, got "3"');
    expect(refusal({ slowFloorMs: 9_999 })).toMatch(/slowFloorMs must be a whole number from 10000 to 3600000/);
    expect(refusal({ slowFloorMs: 3_600_001 })).toMatch(/slowFloorMs/);
    expect(refusal({ slowFloorMs: 60_000.5 })).toMatch(/slowFloorMs/);
    expect(refusal({ slowFloorMs: null })).toMatch(/slowFloorMs must be a whole number .* got null/);
    // As JSON gives it: an own "__proto__" key, not a prototype.
    expect(refusal(JSON.parse('{"__proto__": {"failingCommands": 1}}'))).toMatch(/stuckSettings has no "__proto__"/);
    expect(refusal({ constructor: 2 })).toMatch(/stuckSettings has no "constructor"/);
    expect(refusal({ slowfactor: 2 })).toMatch(/stuckSettings has no "slowfactor"; it takes slowFactor, slowFloorMs, failingCommands/);
  });
});
