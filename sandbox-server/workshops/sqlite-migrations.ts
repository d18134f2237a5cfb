/**
 * The SQLite schema, one numbered step each; `schema_migrations` records those applied. Append,
 * never edit: a server's file has run the old ones. Times are epoch ms.
 */
export const SQLITE_MIGRATIONS: readonly { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE workshops (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        lessons TEXT NOT NULL,
        max_learners INTEGER NOT NULL,
        learner_limits TEXT NOT NULL,
        join_code TEXT NOT NULL UNIQUE,
        secret_hash BLOB NOT NULL,
        join_paused INTEGER NOT NULL DEFAULT 0,
        closed_at INTEGER,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE learners (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
        display_name TEXT NOT NULL,
        token_hash BLOB NOT NULL,
        joined_at INTEGER NOT NULL,
        lesson TEXT,
        step INTEGER,
        step_since INTEGER,
        commands INTEGER NOT NULL DEFAULT 0,
        failed_commands INTEGER NOT NULL DEFAULT 0,
        last_command TEXT,
        last_exit_code INTEGER,
        last_at INTEGER
      );
      CREATE INDEX learners_by_workshop ON learners (workshop_id, seq);
      CREATE TABLE progress (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        learner_id TEXT NOT NULL REFERENCES learners (id) ON DELETE CASCADE,
        lesson TEXT NOT NULL,
        step INTEGER NOT NULL,
        command TEXT,
        exit_code INTEGER,
        at INTEGER NOT NULL
      );
      CREATE INDEX progress_by_learner ON progress (learner_id, seq);
    `,
  },
  {
    version: 2,
    // A hint to everyone has no learner; one to a learner goes with them.
    sql: `
      CREATE TABLE hints (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
        learner_id TEXT REFERENCES learners (id) ON DELETE CASCADE,
        text TEXT NOT NULL,
        at INTEGER NOT NULL
      );
      CREATE INDEX hints_by_workshop ON hints (workshop_id, seq);
    `,
  },
  {
    version: 3,
    // Who is stuck, per workshop; a workshop made before this gets the defaults it was flagged by.
    sql: `
      ALTER TABLE workshops ADD COLUMN stuck_slow_factor REAL NOT NULL DEFAULT 3;
      ALTER TABLE workshops ADD COLUMN stuck_slow_floor_ms INTEGER NOT NULL DEFAULT 120000;
      ALTER TABLE workshops ADD COLUMN stuck_failing_commands INTEGER NOT NULL DEFAULT 3;
    `,
  },
  {
    version: 4,
    // The class namespace of the registry: off until the instructor opens it; each learner's part
    // of it, numbered in their workshop (those who joined before get `learner-<n>`).
    sql: `
      ALTER TABLE workshops ADD COLUMN shared_registry INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE learners ADD COLUMN handle TEXT NOT NULL DEFAULT '';
      UPDATE learners SET handle = 'learner-' || (
        SELECT count(*) FROM learners AS earlier WHERE earlier.workshop_id = learners.workshop_id AND earlier.seq <= learners.seq
      );
      CREATE UNIQUE INDEX learners_by_handle ON learners (workshop_id, handle);
    `,
  },
];
