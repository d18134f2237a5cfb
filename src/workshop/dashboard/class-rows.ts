import type { WireStuckSettings } from './stuck-settings-form.js';

/**
 * The class as the dashboard holds it: one row per learner, made from the server's rows
 * (`GET /api/workshops/:id/class` and the live socket's `class`/`learners` messages, issue 14's
 * contract). Kept apart from the page so sorting and filtering are plain functions.
 */

/** Why the server flags a learner (contract: "slow" past K × the step's class median, "failing" after N failed commands). */
export type Stuck = 'slow' | 'failing';

/** A learner as the server sends one; the live socket adds `stuck` and `stepSinceMs`. */
export interface WireLearner {
  id: string;
  displayName: string;
  joinedAt?: number;
  position: {
    lesson: string | null;
    step: number | null;
    stepSince: number | null;
    commands: number;
    failedCommands: number;
    lastCommand: string | null;
    lastExitCode: number | null;
    lastAt: number | null;
  };
  /** Whether the learner holds a real sandbox now; false: their page runs the simulator. */
  sandbox?: boolean;
  /** Why the simulator runs, when the server says. */
  simulator?: string | null;
  stuck?: Stuck | null;
  stepSinceMs?: number | null;
}

export interface WireWorkshop {
  id: string;
  title: string;
  lessons: string[];
  joinCode?: string;
  joinPaused?: boolean;
  closedAt?: number | null;
  /** The registry's class namespace (`localhost:5000/class/…`) open to the learners. */
  sharedRegistry?: boolean;
  maxLearners?: number;
  stuckSettings?: WireStuckSettings;
}

export interface LearnerRow {
  id: string;
  name: string;
  lesson: string | null;
  /** The step's index in its lesson, as reported (0 is the first). */
  step: number | null;
  stepSince: number | null;
  commands: number;
  failed: number;
  lastCommand: string | null;
  lastExitCode: number | null;
  backend: 'sandbox' | 'simulator';
  stuck: Stuck | null;
}

export function toRow(learner: WireLearner): LearnerRow {
  const p = learner.position;
  return {
    id: learner.id,
    name: learner.displayName,
    lesson: p.lesson,
    step: p.step,
    stepSince: learner.stepSinceMs ?? p.stepSince,
    commands: p.commands,
    failed: p.failedCommands,
    lastCommand: p.lastCommand,
    lastExitCode: p.lastExitCode,
    backend: learner.sandbox ? 'sandbox' : 'simulator',
    stuck: learner.stuck ?? null,
  };
}

export type SortKey = 'name' | 'place' | 'time' | 'commands' | 'failed' | 'lastCommand' | 'backend' | 'stuck';
export interface SortOrder {
  key: SortKey;
  descending: boolean;
}

/** Where a row is in the course: its lesson's place in the workshop, then the step; not started sorts first. */
export type LessonOrder = ReadonlyMap<string, number>;

const STUCK_RANK: Record<Stuck, number> = { failing: 2, slow: 1 };
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/**
 * The comparator for one column. Time on step sorts by when the step began (earlier: longer),
 * so the order does not change every second as the clocks tick.
 */
export function compareRows(order: SortOrder, lessons: LessonOrder): (a: LearnerRow, b: LearnerRow) => number {
  const place = (r: LearnerRow) => (r.lesson === null ? -1 : (lessons.get(r.lesson) ?? lessons.size) * 10_000 + (r.step ?? 0));
  const byKey: Record<SortKey, (a: LearnerRow, b: LearnerRow) => number> = {
    name: (a, b) => collator.compare(a.name, b.name),
    place: (a, b) => place(a) - place(b),
    time: (a, b) => (b.stepSince ?? Infinity) - (a.stepSince ?? Infinity),
    commands: (a, b) => a.commands - b.commands,
    failed: (a, b) => a.failed - b.failed,
    lastCommand: (a, b) => collator.compare(a.lastCommand ?? '', b.lastCommand ?? ''),
    backend: (a, b) => collator.compare(a.backend, b.backend),
    stuck: (a, b) => (a.stuck ? STUCK_RANK[a.stuck] : 0) - (b.stuck ? STUCK_RANK[b.stuck] : 0),
  };
  const compare = byKey[order.key];
  const sign = order.descending ? -1 : 1;
  // Ties keep a stable order by name, then id, so rows do not jump between equal ones.
  return (a, b) => sign * compare(a, b) || collator.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export interface RowFilter {
  text: string;
  stuckOnly: boolean;
}

/** Whether a row shows: its name, last command or lesson title holds the text (any case), and it is stuck when asked. */
export function rowMatches(row: LearnerRow, filter: RowFilter, lessonTitle: (lesson: string | null) => string): boolean {
  if (filter.stuckOnly && !row.stuck) return false;
  const needle = filter.text.trim().toLocaleLowerCase();
  if (!needle) return true;
  return [row.name, row.lastCommand ?? '', lessonTitle(row.lesson)].some((field) => field.toLocaleLowerCase().includes(needle));
}

/** How long since `since`, as a clock: `m:ss`, or `h:mm:ss` past an hour. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
