import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../sandbox-server/sessions/session-secret.js';
import { SQLITE_MIGRATIONS } from '../../sandbox-server/workshops/sqlite-migrations.js';
import { SqliteWorkshopStore } from '../../sandbox-server/workshops/sqlite-workshop-store.js';
import { DEFAULT_STUCK_SETTINGS } from '../../sandbox-server/workshops/stuck.js';
import { Workshops } from '../../sandbox-server/workshops/workshops.js';
import { workshopStoreContract } from '../contract/workshop-store.contract.js';

const dir = mkdtempSync(join(tmpdir(), 'layerlab-workshops-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

workshopStoreContract('sqlite', async () => SqliteWorkshopStore.open(join(dir, `w${n++}`, 'workshops.sqlite')));

describe('the SQLite file of a server before stuck settings', () => {
  it('is migrated in place: its workshops get the defaults they were flagged by, and change like any', async () => {
    const file = join(dir, 'before-stuck', 'workshops.sqlite');
    mkdirSync(dirname(file), { recursive: true });
    const db = new Database(file);
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
    for (const step of SQLITE_MIGRATIONS.filter((m) => m.version <= 2)) {
      db.exec(step.sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, 0)').run(step.version);
    }
    const secret = 'the old secret';
    db.prepare(
      `INSERT INTO workshops (id, title, lessons, max_learners, learner_limits, join_code, secret_hash, join_paused, closed_at, created_at)
       VALUES ('${'a'.repeat(32)}', 'Old', '["01-hello"]', 30, '{}', 'ABCD-EFGH', ?, 0, NULL, 1)`,
    ).run(hashToken(secret));
    db.close();

    const store = SqliteWorkshopStore.open(file);
    const w = new Workshops(store);
    expect((await w.asInstructor('a'.repeat(32), secret)).stuckSettings).toEqual(DEFAULT_STUCK_SETTINGS);
    await w.setStuckSettings('a'.repeat(32), secret, { failingCommands: 2 });
    expect((await store.workshop('a'.repeat(32)))!.stuckSettings).toEqual({ ...DEFAULT_STUCK_SETTINGS, failingCommands: 2 });
    await store.close();
    const check = new Database(file, { readonly: true });
    expect(check.prepare('SELECT version FROM schema_migrations ORDER BY version').all()).toEqual(
      SQLITE_MIGRATIONS.map((m) => ({ version: m.version })),
    );
    check.close();
  });
});
