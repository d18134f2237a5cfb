/**
 * Who is stuck, as the dashboard flags them (issue 14): "failing" when their last
 * `failingCommands` commands all failed, "slow" when on one step longer than `slowFactor` × the
 * class's median time for that step — never under `slowFloorMs`, and `slowFactor` × the floor
 * while no learner has finished the step yet (no median to go by). Pure: the live class calls it.
 */
export type Stuck = 'slow' | 'failing' | null;

export interface StuckSettings {
  slowFactor: number;
  slowFloorMs: number;
  failingCommands: number;
}

export const DEFAULT_STUCK_SETTINGS: StuckSettings = { slowFactor: 3, slowFloorMs: 2 * 60_000, failingCommands: 3 };

/** The middle value (the mean of the two middle ones for an even count); undefined for none. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** How long a learner may stay on a step whose class median is `medianMs` before they count as slow. */
export function slowAfterMs(medianMs: number | undefined, settings: StuckSettings): number {
  if (medianMs === undefined) return settings.slowFactor * settings.slowFloorMs;
  return Math.max(settings.slowFactor * medianMs, settings.slowFloorMs);
}

export function stuckOf(
  learner: { stepSince: number | null; failStreak: number },
  now: number,
  medianMs: number | undefined,
  settings: StuckSettings,
): Stuck {
  // Failing first: a learner whose commands keep failing needs the instructor more than a slow one.
  if (learner.failStreak >= settings.failingCommands) return 'failing';
  if (learner.stepSince !== null && now - learner.stepSince > slowAfterMs(medianMs, settings)) return 'slow';
  return null;
}

/** Failed commands at the end of a learner's events (an exit 0 ends the streak; reports without a command leave it). */
export function failStreakOf(events: readonly { command: string | null; exitCode: number | null }[]): number {
  let streak = 0;
  for (const e of events) if (e.command !== null) streak = e.exitCode === 0 ? 0 : streak + 1;
  return streak;
}

/**
 * Time on each step a learner finished, keyed `lesson step`: from reaching it to reaching the
 * next one (`at` of the event that moved them). The step they are on is not finished.
 */
export function stepDurationsOf(events: readonly { lesson: string; step: number; at: number }[]): [string, number][] {
  const done: [string, number][] = [];
  let current: { key: string; since: number } | undefined;
  for (const e of events) {
    const key = stepKey(e.lesson, e.step);
    if (current?.key === key) continue;
    if (current) done.push([current.key, e.at - current.since]);
    current = { key, since: e.at };
  }
  return done;
}

export const stepKey = (lesson: string, step: number) => `${lesson} ${step}`;
