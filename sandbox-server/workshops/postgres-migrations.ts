/** The PostgreSQL schema, step for step the same as `sqlite-migrations.ts`. Append, never edit. Times are epoch ms. */
export const POSTGRES_MIGRATIONS: readonly { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE workshops (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        lessons JSONB NOT NULL,
        max_learners INTEGER NOT NULL,
        learner_limits JSONB NOT NULL,
        join_code TEXT NOT NULL UNIQUE,
        secret_hash BYTEA NOT NULL,
        join_paused BOOLEAN NOT NULL DEFAULT FALSE,
        closed_at BIGINT,
        created_at BIGINT NOT NULL
      );
      CREATE TABLE learners (
        seq BIGSERIAL PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
        display_name TEXT NOT NULL,
        token_hash BYTEA NOT NULL,
        joined_at BIGINT NOT NULL,
        lesson TEXT,
        step INTEGER,
        step_since BIGINT,
        commands INTEGER NOT NULL DEFAULT 0,
        failed_commands INTEGER NOT NULL DEFAULT 0,
        last_command TEXT,
        last_exit_code INTEGER,
        last_at BIGINT
      );
      CREATE INDEX learners_by_workshop ON learners (workshop_id, seq);
      CREATE TABLE progress (
        seq BIGSERIAL PRIMARY KEY,
        learner_id TEXT NOT NULL REFERENCES learners (id) ON DELETE CASCADE,
        lesson TEXT NOT NULL,
        step INTEGER NOT NULL,
        command TEXT,
        exit_code INTEGER,
        at BIGINT NOT NULL
      );
      CREATE INDEX progress_by_learner ON progress (learner_id, seq);
    `,
  },
  {
    version: 2,
    sql: `
      CREATE TABLE hints (
        seq BIGSERIAL PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
        learner_id TEXT REFERENCES learners (id) ON DELETE CASCADE,
        text TEXT NOT NULL,
        at BIGINT NOT NULL
      );
      CREATE INDEX hints_by_workshop ON hints (workshop_id, seq);
    `,
  },
  {
    version: 3,
    sql: `
      ALTER TABLE workshops ADD COLUMN stuck_slow_factor DOUBLE PRECISION NOT NULL DEFAULT 3;
      ALTER TABLE workshops ADD COLUMN stuck_slow_floor_ms INTEGER NOT NULL DEFAULT 120000;
      ALTER TABLE workshops ADD COLUMN stuck_failing_commands INTEGER NOT NULL DEFAULT 3;
    `,
  },
  {
    version: 4,
    sql: `
      ALTER TABLE workshops ADD COLUMN shared_registry BOOLEAN NOT NULL DEFAULT FALSE;
      ALTER TABLE learners ADD COLUMN handle TEXT NOT NULL DEFAULT '';
      UPDATE learners SET handle = 'learner-' || (
        SELECT count(*) FROM learners AS earlier WHERE earlier.workshop_id = learners.workshop_id AND earlier.seq <= learners.seq
      );
      CREATE UNIQUE INDEX learners_by_handle ON learners (workshop_id, handle);
    `,
  },
];
