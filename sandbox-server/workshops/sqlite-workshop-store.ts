import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { advancePosition } from './learner-position.js';
import { SQLITE_MIGRATIONS } from './sqlite-migrations.js';
import { eventFromRow, hintFromRow, learnerFromRow, positionFromRow, positionParams, workshopFromRow } from './workshop-rows.js';
import type {
  HintRefusal,
  HintRow,
  JoinRefusal,
  LearnerRow,
  NewLearnerRow,
  ProgressRefusal,
  WorkshopChange,
  WorkshopRow,
  WorkshopStore,
} from './workshop-store.js';
import type { Hint, LearnerPosition, ProgressEvent } from './workshop-types.js';

type Row = Parameters<typeof workshopFromRow>[0];

/**
 * The default store: one SQLite file (better-sqlite3, synchronous — each call is one
 * transaction, so nothing in this process interleaves). A transaction that reads then writes
 * begins IMMEDIATE: a deferred one would fail at once (SQLITE_BUSY_SNAPSHOT, no busy wait) when
 * another process — a second server on the file — wrote since its read began. WAL, so the instructor's reads do not wait for
 * learners' writes; synchronous=NORMAL, so a killed server (kill -9) loses no committed
 * write — only a power cut may lose the last ones, never the file (sqlite.org/wal.html).
 */
export class SqliteWorkshopStore implements WorkshopStore {
  readonly kind = 'sqlite';
  private readonly db: Database.Database;

  private constructor(db: Database.Database) {
    this.db = db;
  }

  static open(file: string): SqliteWorkshopStore {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    // A second process (a restarted server while the old one exits) waits for the write lock instead of failing.
    const db = new Database(file, { timeout: 5000 });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db);
    return new SqliteWorkshopStore(db);
  }

  async insertWorkshop(w: WorkshopRow): Promise<boolean> {
    const { changes } = this.db
      .prepare(
        `INSERT INTO workshops (id, title, lessons, max_learners, learner_limits, join_code, secret_hash, join_paused, closed_at, created_at,
                                stuck_slow_factor, stuck_slow_floor_ms, stuck_failing_commands, shared_registry)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (join_code) DO NOTHING`,
      )
      .run(
        w.id,
        w.title,
        JSON.stringify(w.lessons),
        w.maxLearners,
        JSON.stringify(w.learnerLimits),
        w.joinCode,
        w.secretHash,
        w.joinPaused ? 1 : 0,
        w.closedAt,
        w.createdAt,
        w.stuckSettings.slowFactor,
        w.stuckSettings.slowFloorMs,
        w.stuckSettings.failingCommands,
        w.sharedRegistry ? 1 : 0,
      );
    return changes === 1;
  }

  async workshop(id: string): Promise<WorkshopRow | undefined> {
    const row = this.db.prepare<unknown[], Row>('SELECT * FROM workshops WHERE id = ?').get(id);
    return row && workshopFromRow(row);
  }

  async workshopIds(): Promise<string[]> {
    return this.db
      .prepare<unknown[], { id: string }>('SELECT id FROM workshops')
      .all()
      .map((row) => row.id);
  }

  async workshopByJoinCode(code: string): Promise<WorkshopRow | undefined> {
    const row = this.db.prepare<unknown[], Row>('SELECT * FROM workshops WHERE join_code = ?').get(code);
    return row && workshopFromRow(row);
  }

  async updateWorkshop(id: string, change: WorkshopChange): Promise<boolean> {
    const stuck = change.stuckSettings;
    const flag = (value: boolean | undefined) => (value === undefined ? null : value ? 1 : 0);
    const { changes } = this.db
      .prepare(
        `UPDATE workshops SET secret_hash = coalesce(?, secret_hash), join_paused = coalesce(?, join_paused), closed_at = coalesce(?, closed_at),
           stuck_slow_factor = coalesce(?, stuck_slow_factor), stuck_slow_floor_ms = coalesce(?, stuck_slow_floor_ms),
           stuck_failing_commands = coalesce(?, stuck_failing_commands), shared_registry = coalesce(?, shared_registry)
         WHERE id = ?`,
      )
      .run(
        change.secretHash ?? null,
        flag(change.joinPaused),
        change.closedAt ?? null,
        stuck?.slowFactor ?? null,
        stuck?.slowFloorMs ?? null,
        stuck?.failingCommands ?? null,
        flag(change.sharedRegistry),
        id,
      );
    return changes === 1;
  }

  async deleteWorkshop(id: string): Promise<boolean> {
    // ON DELETE CASCADE takes its learners and their progress in the same statement.
    return this.db.prepare('DELETE FROM workshops WHERE id = ?').run(id).changes === 1;
  }

  async addLearner(l: NewLearnerRow): Promise<{ ok: true; handle: string } | { ok: false; refusal: JoinRefusal }> {
    return this.db
      .transaction(() => {
        const w = this.db.prepare<unknown[], Row>('SELECT max_learners, join_paused, closed_at FROM workshops WHERE id = ?').get(l.workshopId);
        if (!w) return refuse('NO_SUCH_WORKSHOP');
        if (w.closed_at !== null) return refuse('WORKSHOP_CLOSED');
        if (w.join_paused) return refuse('JOINING_PAUSED');
        const { n } = this.db.prepare<unknown[], Row>('SELECT count(*) AS n FROM learners WHERE workshop_id = ?').get(l.workshopId) as { n: number };
        if (n >= Number(w.max_learners)) return refuse('WORKSHOP_FULL');
        // Learners leave only with their workshop, so the count numbers them in the order they joined.
        const handle = `${l.handleBase}-${n + 1}`;
        this.db
          .prepare('INSERT INTO learners (id, workshop_id, display_name, handle, token_hash, joined_at) VALUES (?, ?, ?, ?, ?, ?)')
          .run(l.id, l.workshopId, l.displayName, handle, l.tokenHash, l.joinedAt);
        return { ok: true as const, handle };
      })
      .immediate();
  }

  async learner(workshopId: string, learnerId: string): Promise<LearnerRow | undefined> {
    const row = this.db.prepare<unknown[], Row>('SELECT * FROM learners WHERE workshop_id = ? AND id = ?').get(workshopId, learnerId);
    return row && learnerFromRow(row);
  }

  async learners(workshopId: string): Promise<LearnerRow[]> {
    return this.db
      .prepare<unknown[], Row>('SELECT * FROM learners WHERE workshop_id = ? ORDER BY seq')
      .all(workshopId)
      .map((row) => learnerFromRow(row));
  }

  async addProgress(
    learnerId: string,
    event: ProgressEvent,
    maxEvents: number,
  ): Promise<{ ok: true; position: LearnerPosition } | { ok: false; refusal: ProgressRefusal }> {
    return this.db
      .transaction(() => {
        const row = this.db.prepare<unknown[], Row>('SELECT * FROM learners WHERE id = ?').get(learnerId);
        if (!row) return { ok: false as const, refusal: 'NO_SUCH_LEARNER' as const };
        const { n } = this.db.prepare<unknown[], Row>('SELECT count(*) AS n FROM progress WHERE learner_id = ?').get(learnerId) as { n: number };
        if (n >= maxEvents) return { ok: false as const, refusal: 'PROGRESS_LIMIT' as const };
        const position = advancePosition(positionFromRow(row), event);
        this.db
          .prepare('INSERT INTO progress (learner_id, lesson, step, command, exit_code, at) VALUES (?, ?, ?, ?, ?, ?)')
          .run(learnerId, event.lesson, event.step, event.command, event.exitCode, event.at);
        this.db
          .prepare(
            `UPDATE learners SET lesson = ?, step = ?, step_since = ?, commands = ?, failed_commands = ?, last_command = ?, last_exit_code = ?, last_at = ?
           WHERE id = ?`,
          )
          .run(...positionParams(position), learnerId);
        return { ok: true as const, position };
      })
      .immediate();
  }

  async progress(learnerId: string): Promise<ProgressEvent[]> {
    return this.db
      .prepare<unknown[], Row>('SELECT lesson, step, command, exit_code, at FROM progress WHERE learner_id = ? ORDER BY seq')
      .all(learnerId)
      .map((row) => eventFromRow(row));
  }

  async addHint(h: HintRow, maxHints: number): Promise<{ ok: true } | { ok: false; refusal: HintRefusal }> {
    return this.db
      .transaction(() => {
        if (!this.db.prepare('SELECT 1 FROM workshops WHERE id = ?').get(h.workshopId)) return refuseHint('NO_SUCH_WORKSHOP');
        if (h.learnerId !== null && !this.db.prepare('SELECT 1 FROM learners WHERE workshop_id = ? AND id = ?').get(h.workshopId, h.learnerId))
          return refuseHint('NO_SUCH_LEARNER');
        const { n } = this.db.prepare<unknown[], { n: number }>('SELECT count(*) AS n FROM hints WHERE workshop_id = ?').get(h.workshopId)!;
        if (n >= maxHints) return refuseHint('HINT_LIMIT');
        this.db
          .prepare('INSERT INTO hints (id, workshop_id, learner_id, text, at) VALUES (?, ?, ?, ?, ?)')
          .run(h.id, h.workshopId, h.learnerId, h.text, h.at);
        return { ok: true as const };
      })
      .immediate();
  }

  async hints(workshopId: string, learnerId: string): Promise<Hint[]> {
    return this.db
      .prepare<unknown[], Row>(
        'SELECT id, learner_id, text, at FROM hints WHERE workshop_id = ? AND (learner_id IS NULL OR learner_id = ?) ORDER BY seq',
      )
      .all(workshopId, learnerId)
      .map(hintFromRow);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

const refuse = (refusal: JoinRefusal) => ({ ok: false as const, refusal });
const refuseHint = (refusal: HintRefusal) => ({ ok: false as const, refusal });

/** Applies the migrations this file has not run, each in its own transaction with its record. */
function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  // BEGIN IMMEDIATE: two servers starting on one file apply each step once.
  for (const step of SQLITE_MIGRATIONS) {
    db.exec('BEGIN IMMEDIATE');
    try {
      if (!db.prepare<unknown[], Row>('SELECT 1 FROM schema_migrations WHERE version = ?').get(step.version)) {
        db.exec(step.sql);
        db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(step.version, Date.now());
      }
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
}
