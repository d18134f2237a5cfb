import { failStreakOf, median, stepDurationsOf, stepKey, stuckOf, type Stuck, type StuckSettings } from './stuck.js';
import type { Learner, LearnerPosition, ProgressEvent } from './workshop-types.js';

/** A learner as the dashboard's socket sends one: `GET /class`'s row, with who is stuck and since when they are on their step. */
export interface LiveRow extends Learner {
  sandbox: boolean;
  stuck: Stuck;
  /** Epoch ms when they reached their current step (the server's clock), or null before their first step. */
  stepSinceMs: number | null;
}

/** Durations kept per step: enough for a median of a 300-learner class that revisits steps; the oldest dropped past it. */
const MAX_DURATIONS_PER_STEP = 1000;

interface Entry {
  learner: Learner;
  failStreak: number;
  stuck: Stuck;
}

/**
 * One workshop's class as the dashboards see it, in memory while a dashboard is open: every
 * learner, the time each finished step took (for the medians) and each one's failing streak.
 * Loaded once from the store's events, then moved by each report as it is recorded — a report
 * already in what was loaded moves nothing (the position's counters say so).
 */
export class LiveClass {
  private readonly entries = new Map<string, Entry>();
  private readonly durations = new Map<string, number[]>();
  private readonly medians = new Map<string, number | undefined>();

  constructor(
    private settings: StuckSettings,
    private readonly hasSandbox: (learnerId: string) => boolean,
  ) {}

  /** The instructor changed who counts as stuck: the learners whose flag the new settings change. */
  useSettings(settings: StuckSettings, now: number): string[] {
    this.settings = settings;
    return this.restuck(now);
  }

  /** A learner as stored, with their events so far (oldest first). */
  add(learner: Learner, events: readonly ProgressEvent[], now: number): void {
    for (const [key, ms] of stepDurationsOf(events)) this.recordDuration(key, ms);
    const entry = { learner, failStreak: failStreakOf(events), stuck: null as Stuck };
    this.entries.set(learner.id, entry);
    entry.stuck = this.stuckNow(entry, now);
  }

  /** A learner who just joined. */
  joined(learner: Learner, now: number): void {
    if (!this.entries.has(learner.id)) this.add(learner, [], now);
  }

  /** A recorded report's new position: the step they left is timed, a new command moves the streak. */
  moved(learnerId: string, position: LearnerPosition, now: number): boolean {
    const entry = this.entries.get(learnerId);
    if (!entry) return false;
    const before = entry.learner.position;
    // Counters only grow: a position no further than the one held is one already folded in.
    if (position.lastAt !== null && before.lastAt !== null && position.lastAt < before.lastAt) return false;
    if (before.lesson !== null && before.stepSince !== null && position.stepSince !== null && position.stepSince > before.stepSince) {
      this.recordDuration(stepKey(before.lesson, before.step!), position.stepSince - before.stepSince);
    }
    if (position.commands > before.commands) entry.failStreak = position.lastExitCode === 0 ? 0 : entry.failStreak + 1;
    entry.learner = { ...entry.learner, position };
    entry.stuck = this.stuckNow(entry, now);
    return true;
  }

  has(learnerId: string): boolean {
    return this.entries.has(learnerId);
  }

  row(learnerId: string): LiveRow | undefined {
    const entry = this.entries.get(learnerId);
    return entry && this.rowOf(entry);
  }

  /** Every learner, in the order they joined. */
  rows(): LiveRow[] {
    return [...this.entries.values()].map((e) => this.rowOf(e));
  }

  /** Who is stuck changes with time alone: the learners whose flag changed since the last look. */
  restuck(now: number): string[] {
    const changed: string[] = [];
    for (const entry of this.entries.values()) {
      const stuck = this.stuckNow(entry, now);
      if (stuck !== entry.stuck) {
        entry.stuck = stuck;
        changed.push(entry.learner.id);
      }
    }
    return changed;
  }

  /** The class's median time on a step, from the learners who finished it. */
  medianOf(lesson: string, step: number): number | undefined {
    const key = stepKey(lesson, step);
    if (!this.medians.has(key)) this.medians.set(key, median(this.durations.get(key) ?? []));
    return this.medians.get(key);
  }

  private rowOf(entry: Entry): LiveRow {
    return { ...entry.learner, sandbox: this.hasSandbox(entry.learner.id), stuck: entry.stuck, stepSinceMs: entry.learner.position.stepSince };
  }

  private stuckNow(entry: Entry, now: number): Stuck {
    const p = entry.learner.position;
    const medianMs = p.lesson === null || p.step === null ? undefined : this.medianOf(p.lesson, p.step);
    return stuckOf({ stepSince: p.stepSince, failStreak: entry.failStreak }, now, medianMs, this.settings);
  }

  private recordDuration(key: string, ms: number): void {
    let list = this.durations.get(key);
    if (!list) this.durations.set(key, (list = []));
    list.push(ms);
    if (list.length > MAX_DURATIONS_PER_STEP) list.shift();
    this.medians.delete(key);
  }
}
