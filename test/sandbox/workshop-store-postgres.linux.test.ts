import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { openWorkshopStore } from '../../sandbox-server/workshops/open-workshop-store.js';
import { PostgresWorkshopStore } from '../../sandbox-server/workshops/postgres-workshop-store.js';
import { POSTGRES_MIGRATIONS } from '../../sandbox-server/workshops/postgres-migrations.js';
import { hashToken } from '../../sandbox-server/sessions/session-secret.js';
import { DEFAULT_STUCK_SETTINGS } from '../../sandbox-server/workshops/stuck.js';
import { Workshops } from '../../sandbox-server/workshops/workshops.js';
import { workshopStoreContract } from '../contract/workshop-store.contract.js';
import { startPostgres, type PostgresServer } from '../support/postgres-server.js';
import { missingPostgresPrereqs, requirePrereqs } from '../support/prereqs.js';

// Debian's postgresql, started here on a temporary port and data dir; in CI a missing one fails the file.
const run = requirePrereqs('PostgreSQL', missingPostgresPrereqs());

describe.runIf(run)('workshops on PostgreSQL', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => server?.stop());

  // Every store opens the same database: its migrations run once, later opens find them applied.
  workshopStoreContract('postgres', () => PostgresWorkshopStore.open(server.url));

  it('is the store when DATABASE_URL is set, and records each migration once however often it opens', async () => {
    const store = await openWorkshopStore('/nonexistent', { DATABASE_URL: server.url });
    expect(store.kind).toBe('postgres');
    await store.close();
    const pool = new pg.Pool({ connectionString: server.url });
    const { rows } = await pool.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    await pool.end();
    expect(rows.map((r) => r.version)).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version));
  });

  it('migrates a database from before stuck settings in place: its workshops get the defaults they were flagged by', async () => {
    // A database of its own, at migration 2, as a server before this one left it.
    const admin = new pg.Pool({ connectionString: server.url, max: 1 });
    await admin.query('CREATE DATABASE before_stuck');
    await admin.end();
    const url = server.url.replace(/\/postgres$/, '/before_stuck');
    const old = new pg.Pool({ connectionString: url, max: 1 });
    await old.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)');
    for (const step of POSTGRES_MIGRATIONS.filter((m) => m.version <= 2)) {
      await old.query(step.sql);
      await old.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, 0)', [step.version]);
    }
    const id = 'b'.repeat(32);
    await old.query(
      `INSERT INTO workshops (id, title, lessons, max_learners, learner_limits, join_code, secret_hash, join_paused, closed_at, created_at)
       VALUES ($1, 'Old', '["01-hello"]', 30, '{}', 'ABCD-EFGH', $2, FALSE, NULL, 1)`,
      [id, hashToken('the old secret')],
    );
    await old.end();

    const store = await PostgresWorkshopStore.open(url);
    const w = new Workshops(store);
    expect((await w.asInstructor(id, 'the old secret')).stuckSettings).toEqual(DEFAULT_STUCK_SETTINGS);
    await w.setStuckSettings(id, 'the old secret', { slowFactor: 2.5 });
    expect((await store.workshop(id))!.stuckSettings).toEqual({ ...DEFAULT_STUCK_SETTINGS, slowFactor: 2.5 });
    await store.close();
  });
});
