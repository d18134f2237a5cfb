import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { openWorkshopStore } from '../../sandbox-server/workshops/open-workshop-store.js';
import { PostgresWorkshopStore } from '../../sandbox-server/workshops/postgres-workshop-store.js';
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
    expect(rows.map((r) => r.version)).toEqual([1, 2]);
  });
});
