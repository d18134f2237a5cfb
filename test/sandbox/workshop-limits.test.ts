import { describe, expect, it } from 'vitest';
import { DEFAULT_WORKSHOP_LIMITS, workshopLimitsFromEnv } from '../../sandbox-server/workshops/workshop-limits.js';

describe('workshop limits from the environment', () => {
  it('takes LAYERLAB_WORKSHOP_* over the defaults', () => {
    expect(workshopLimitsFromEnv({})).toEqual(DEFAULT_WORKSHOP_LIMITS);
    expect(
      workshopLimitsFromEnv({ LAYERLAB_WORKSHOP_MAX_LEARNERS: '40', LAYERLAB_WORKSHOP_JOIN_BURST: '50', LAYERLAB_WORKSHOP_JOINS_PER_MINUTE: '5' }),
    ).toEqual({
      ...DEFAULT_WORKSHOP_LIMITS,
      maxLearners: 40,
      joinBurst: 50,
      joinsPerMinute: 5,
    });
  });

  it('refuses what is not a positive integer, naming the setting', () => {
    for (const raw of ['0', '-1', '1.5', 'lots']) {
      expect(() => workshopLimitsFromEnv({ LAYERLAB_WORKSHOP_MAX_LEARNERS: raw })).toThrow(
        /LAYERLAB_WORKSHOP_MAX_LEARNERS must be a positive integer/,
      );
    }
  });
});
