import type { StuckSettings } from './stuck.js';
import type { Hint, Learner, LearnerPosition, ProgressEvent, Workshop } from './workshop-types.js';

/** A workshop as stored: with the hash of its instructor secret, never the secret. */
export interface WorkshopRow extends Workshop {
  secretHash: Buffer;
}

export interface LearnerRow extends Learner {
  /** sha256 of the resume token (`session-secret.ts`'s `hashToken`). */
  tokenHash: Buffer;
}

/** A learner before the store numbers their handle (`handle-base.ts`'s `handleBase`). */
export type NewLearnerRow = Omit<LearnerRow, 'handle'> & { handleBase: string };

/** What changes of a workshop after its creation; what is left out stays. */
export interface WorkshopChange {
  secretHash?: Buffer;
  joinPaused?: boolean;
  closedAt?: number;
  stuckSettings?: StuckSettings;
  sharedRegistry?: boolean;
}

export type ProgressRefusal = 'NO_SUCH_LEARNER' | 'PROGRESS_LIMIT';

/** A hint as stored: `learnerId` null when it went to everyone. */
export interface HintRow extends Hint {
  workshopId: string;
  learnerId: string | null;
}

export type HintRefusal = 'NO_SUCH_WORKSHOP' | 'NO_SUCH_LEARNER' | 'HINT_LIMIT';

export type JoinRefusal = 'NO_SUCH_WORKSHOP' | 'WORKSHOP_FULL' | 'JOINING_PAUSED' | 'WORKSHOP_CLOSED';

/**
 * Where workshops, learners and progress live: SQLite (`sqlite-workshop-store.ts`) or PostgreSQL
 * (`postgres-workshop-store.ts`). Rows in, rows out; secrets, codes and names are checked above it
 * (`workshops.ts`). What must not race is one call here: `addLearner` checks the limit, the pause
 * and the close in the transaction that inserts, and `addProgress` records the event and the
 * position it moves to (`advancePosition`, applied by the store in that transaction) together.
 */
export interface WorkshopStore {
  readonly kind: 'sqlite' | 'postgres';
  /** False when the join code is taken (the caller draws another). */
  insertWorkshop(row: WorkshopRow): Promise<boolean>;
  workshop(id: string): Promise<WorkshopRow | undefined>;
  /** Every workshop's id (the registry's sweep keeps the class namespaces of these and no other). */
  workshopIds(): Promise<string[]>;
  workshopByJoinCode(code: string): Promise<WorkshopRow | undefined>;
  updateWorkshop(id: string, change: WorkshopChange): Promise<boolean>;
  /** The workshop, its learners and their progress; false when there was none. */
  deleteWorkshop(id: string): Promise<boolean>;
  /**
   * Adds the learner with the handle `<handleBase>-<their number in the workshop>`, the number
   * counted in the transaction that inserts, so two joins never share one.
   */
  addLearner(row: NewLearnerRow): Promise<{ ok: true; handle: string } | { ok: false; refusal: JoinRefusal }>;
  learner(workshopId: string, learnerId: string): Promise<LearnerRow | undefined>;
  /** In the order they joined. */
  learners(workshopId: string): Promise<LearnerRow[]>;
  /**
   * Records the event and moves the learner's position by it, at once — unless the learner is gone
   * or already has `maxEvents` events (counted in the same transaction).
   */
  addProgress(
    learnerId: string,
    event: ProgressEvent,
    maxEvents: number,
  ): Promise<{ ok: true; position: LearnerPosition } | { ok: false; refusal: ProgressRefusal }>;
  /** A learner's events, oldest first. */
  progress(learnerId: string): Promise<ProgressEvent[]>;
  /**
   * Stores a hint — unless its workshop is gone, its learner is not the workshop's, or the
   * workshop already has `maxHints` (counted in the same transaction).
   */
  addHint(row: HintRow, maxHints: number): Promise<{ ok: true } | { ok: false; refusal: HintRefusal }>;
  /** The hints one learner gets — those to everyone and those to them — oldest first. */
  hints(workshopId: string, learnerId: string): Promise<Hint[]>;
  close(): Promise<void>;
}
