import pg, { type Pool, type PoolClient } from 'pg';
import { advancePosition } from './learner-position.js';
import { POSTGRES_MIGRATIONS } from './postgres-migrations.js';
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

// Any constant: the migrations of every server on one database take turns on it.
const MIGRATION_LOCK = 0x6c61796c;

/**
 * The store when `DATABASE_URL` is set: PostgreSQL through a `pg` pool. What must not race runs
 * in one transaction that locks the rows it reads (`FOR UPDATE`), as SQLite's single writer does.
 */
export class PostgresWorkshopStore implements WorkshopStore {
  readonly kind = 'postgres';

  private constructor(private readonly pool: Pool) {}

  static async open(connectionString: string): Promise<PostgresWorkshopStore> {
    const pool = new pg.Pool({ connectionString, max: 10, connectionTimeoutMillis: 10_000 });
    // An idle client's lost connection (the database restarted) is the pool's to replace, not a crash.
    pool.on('error', () => {});
    const store = new PostgresWorkshopStore(pool);
    try {
      await store.inTransaction(migrate);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return store;
  }

  async insertWorkshop(w: WorkshopRow): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `INSERT INTO workshops (id, title, lessons, max_learners, learner_limits, join_code, secret_hash, join_paused, closed_at, created_at,
                              stuck_slow_factor, stuck_slow_floor_ms, stuck_failing_commands, shared_registry)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT (join_code) DO NOTHING`,
      [
        w.id,
        w.title,
        JSON.stringify(w.lessons),
        w.maxLearners,
        JSON.stringify(w.learnerLimits),
        w.joinCode,
        w.secretHash,
        w.joinPaused,
        w.closedAt,
        w.createdAt,
        w.stuckSettings.slowFactor,
        w.stuckSettings.slowFloorMs,
        w.stuckSettings.failingCommands,
        w.sharedRegistry,
      ],
    );
    return rowCount === 1;
  }

  async workshop(id: string): Promise<WorkshopRow | undefined> {
    const { rows } = await this.pool.query<Row>('SELECT * FROM workshops WHERE id = $1', [id]);
    return rows[0] && workshopFromRow(rows[0]);
  }

  async workshopIds(): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>('SELECT id FROM workshops');
    return rows.map((row) => row.id);
  }

  async workshopByJoinCode(code: string): Promise<WorkshopRow | undefined> {
    const { rows } = await this.pool.query<Row>('SELECT * FROM workshops WHERE join_code = $1', [code]);
    return rows[0] && workshopFromRow(rows[0]);
  }

  async updateWorkshop(id: string, change: WorkshopChange): Promise<boolean> {
    const stuck = change.stuckSettings;
    const { rowCount } = await this.pool.query(
      `UPDATE workshops SET secret_hash = coalesce($1, secret_hash), join_paused = coalesce($2, join_paused), closed_at = coalesce($3, closed_at),
         stuck_slow_factor = coalesce($4, stuck_slow_factor), stuck_slow_floor_ms = coalesce($5, stuck_slow_floor_ms),
         stuck_failing_commands = coalesce($6, stuck_failing_commands), shared_registry = coalesce($7, shared_registry)
       WHERE id = $8`,
      [
        change.secretHash ?? null,
        change.joinPaused ?? null,
        change.closedAt ?? null,
        stuck?.slowFactor ?? null,
        stuck?.slowFloorMs ?? null,
        stuck?.failingCommands ?? null,
        change.sharedRegistry ?? null,
        id,
      ],
    );
    return rowCount === 1;
  }

  async deleteWorkshop(id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('DELETE FROM workshops WHERE id = $1', [id]);
    return rowCount === 1;
  }

  async addLearner(l: NewLearnerRow): Promise<{ ok: true; handle: string } | { ok: false; refusal: JoinRefusal }> {
    return this.inTransaction(async (client) => {
      // The workshop's row locked: concurrent joins count and insert one after another, so none passes the limit.
      const { rows } = await client.query<Row>('SELECT max_learners, join_paused, closed_at FROM workshops WHERE id = $1 FOR UPDATE', [l.workshopId]);
      const w = rows[0];
      if (!w) return refuse('NO_SUCH_WORKSHOP');
      if (w.closed_at !== null) return refuse('WORKSHOP_CLOSED');
      if (w.join_paused) return refuse('JOINING_PAUSED');
      const count = await client.query<{ n: string }>('SELECT count(*) AS n FROM learners WHERE workshop_id = $1', [l.workshopId]);
      const n = Number(count.rows[0]!.n);
      if (n >= Number(w.max_learners)) return refuse('WORKSHOP_FULL');
      // Learners leave only with their workshop, so the count numbers them in the order they joined (the row lock orders the joins).
      const handle = `${l.handleBase}-${n + 1}`;
      await client.query('INSERT INTO learners (id, workshop_id, display_name, handle, token_hash, joined_at) VALUES ($1, $2, $3, $4, $5, $6)', [
        l.id,
        l.workshopId,
        l.displayName,
        handle,
        l.tokenHash,
        l.joinedAt,
      ]);
      return { ok: true as const, handle };
    });
  }

  async learner(workshopId: string, learnerId: string): Promise<LearnerRow | undefined> {
    const { rows } = await this.pool.query<Row>('SELECT * FROM learners WHERE workshop_id = $1 AND id = $2', [workshopId, learnerId]);
    return rows[0] && learnerFromRow(rows[0]);
  }

  async learners(workshopId: string): Promise<LearnerRow[]> {
    const { rows } = await this.pool.query<Row>('SELECT * FROM learners WHERE workshop_id = $1 ORDER BY seq', [workshopId]);
    return rows.map(learnerFromRow);
  }

  async addProgress(
    learnerId: string,
    event: ProgressEvent,
    maxEvents: number,
  ): Promise<{ ok: true; position: LearnerPosition } | { ok: false; refusal: ProgressRefusal }> {
    return this.inTransaction(async (client) => {
      // Locked, so two reports of one learner fold one after the other.
      const { rows } = await client.query<Row>('SELECT * FROM learners WHERE id = $1 FOR UPDATE', [learnerId]);
      if (!rows[0]) return { ok: false as const, refusal: 'NO_SUCH_LEARNER' as const };
      const count = await client.query<{ n: string }>('SELECT count(*) AS n FROM progress WHERE learner_id = $1', [learnerId]);
      if (Number(count.rows[0]!.n) >= maxEvents) return { ok: false as const, refusal: 'PROGRESS_LIMIT' as const };
      const position = advancePosition(positionFromRow(rows[0]), event);
      await client.query('INSERT INTO progress (learner_id, lesson, step, command, exit_code, at) VALUES ($1, $2, $3, $4, $5, $6)', [
        learnerId,
        event.lesson,
        event.step,
        event.command,
        event.exitCode,
        event.at,
      ]);
      await client.query(
        `UPDATE learners SET lesson = $1, step = $2, step_since = $3, commands = $4, failed_commands = $5, last_command = $6, last_exit_code = $7, last_at = $8
         WHERE id = $9`,
        [...positionParams(position), learnerId],
      );
      return { ok: true as const, position };
    });
  }

  async progress(learnerId: string): Promise<ProgressEvent[]> {
    const { rows } = await this.pool.query<Row>('SELECT lesson, step, command, exit_code, at FROM progress WHERE learner_id = $1 ORDER BY seq', [
      learnerId,
    ]);
    return rows.map(eventFromRow);
  }

  async addHint(h: HintRow, maxHints: number): Promise<{ ok: true } | { ok: false; refusal: HintRefusal }> {
    return this.inTransaction(async (client) => {
      // The workshop's row locked: hints sent at once count one after another, so none passes the limit.
      const w = await client.query('SELECT 1 FROM workshops WHERE id = $1 FOR UPDATE', [h.workshopId]);
      if (w.rowCount === 0) return refuseHint('NO_SUCH_WORKSHOP');
      if (h.learnerId !== null) {
        const l = await client.query('SELECT 1 FROM learners WHERE workshop_id = $1 AND id = $2', [h.workshopId, h.learnerId]);
        if (l.rowCount === 0) return refuseHint('NO_SUCH_LEARNER');
      }
      const count = await client.query<{ n: string }>('SELECT count(*) AS n FROM hints WHERE workshop_id = $1', [h.workshopId]);
      if (Number(count.rows[0]!.n) >= maxHints) return refuseHint('HINT_LIMIT');
      await client.query('INSERT INTO hints (id, workshop_id, learner_id, text, at) VALUES ($1, $2, $3, $4, $5)', [
        h.id,
        h.workshopId,
        h.learnerId,
        h.text,
        h.at,
      ]);
      return { ok: true as const };
    });
  }

  async hints(workshopId: string, learnerId: string): Promise<Hint[]> {
    const { rows } = await this.pool.query<Row>(
      'SELECT id, learner_id, text, at FROM hints WHERE workshop_id = $1 AND (learner_id IS NULL OR learner_id = $2) ORDER BY seq',
      [workshopId, learnerId],
    );
    return rows.map(hintFromRow);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async inTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      client.release();
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      // A client whose connection failed is not put back in the pool.
      client.release(error as Error);
      throw error;
    }
  }
}

const refuse = (refusal: JoinRefusal) => ({ ok: false as const, refusal });
const refuseHint = (refusal: HintRefusal) => ({ ok: false as const, refusal });

async function migrate(client: PoolClient): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
  await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)');
  const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
  const applied = new Set(rows.map((r) => r.version));
  for (const step of POSTGRES_MIGRATIONS) {
    if (applied.has(step.version)) continue;
    await client.query(step.sql);
    await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [step.version, Date.now()]);
  }
}
