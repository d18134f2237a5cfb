import { DEFAULT_STUCK_SETTINGS, type StuckSettings } from './stuck.js';
import { WorkshopError } from './workshop-errors.js';

/**
 * What an instructor may choose for who is flagged stuck, per workshop. Narrow enough that the
 * flag still means something: a factor under 1 would flag half the class on every step, a floor
 * under 10 s flags a learner reading the step's text, and one failed command is a typo, not a
 * learner in trouble — but an instructor who wants that may have it (1). Past the upper bounds no
 * one is ever flagged in a 2-hour class.
 */
export const STUCK_SETTINGS_RANGE: { readonly [K in keyof StuckSettings]: { min: number; max: number; integer: boolean } } = {
  slowFactor: { min: 1, max: 10, integer: false },
  slowFloorMs: { min: 10_000, max: 60 * 60_000, integer: true },
  failingCommands: { min: 1, max: 20, integer: true },
};

const KEYS = Object.keys(STUCK_SETTINGS_RANGE) as (keyof StuckSettings)[];

/**
 * `change` over `base` (the defaults at create, the workshop's own on a change), each value
 * checked: a number in its range, a whole one where it must be. `INVALID_WORKSHOP` names the
 * setting and its range; unknown keys are refused, not ignored.
 */
export function stuckSettingsOf(change: Partial<Record<string, unknown>> | undefined, base: StuckSettings = DEFAULT_STUCK_SETTINGS): StuckSettings {
  const settings = { ...base };
  for (const [key, value] of Object.entries(change ?? {})) {
    if (!KEYS.includes(key as keyof StuckSettings))
      throw new WorkshopError('INVALID_WORKSHOP', `stuckSettings has no ${JSON.stringify(key)}; it takes ${KEYS.join(', ')}`);
    const range = STUCK_SETTINGS_RANGE[key as keyof StuckSettings];
    if (
      typeof value !== 'number' ||
      !Number.isFinite(value) ||
      (range.integer && !Number.isInteger(value)) ||
      value < range.min ||
      value > range.max
    ) {
      throw new WorkshopError(
        'INVALID_WORKSHOP',
        `stuckSettings.${key} must be ${range.integer ? 'a whole number' : 'a number'} from ${range.min} to ${range.max}, got ${JSON.stringify(value) ?? String(value)}`,
      );
    }
    settings[key as keyof StuckSettings] = value;
  }
  return settings;
}
