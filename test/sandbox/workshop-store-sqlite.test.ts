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

describe('the SQLite file of a server before handles', () => {
  it('numbers the learners who joined before, each workshop from 1, and leaves the class namespace closed', async () => {
    const file = join(dir, 'before-handles', 'workshops.sqlite');
    mkdirSync(dirname(file), { recursive: true });
    // A server's file at migration 3: two workshops, learners joined in turn.
    const db = new Database(file);
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
    for (const step of SQLITE_MIGRATIONS.filter((m) => m.version <= 3)) {
      db.exec(step.sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, 0)').run(step.version);
    }
    const workshop = db.prepare(
      `INSERT INTO workshops (id, title, lessons, max_learners, learner_limits, join_code, secret_hash, created_at) VALUES (?, 't', '[]', 9, '{}', ?, x'00', 0)`,
    );
    workshop.run('w1', 'AAAA-AAAA');
    workshop.run('w2', 'BBBB-BBBB');
    const learner = db.prepare(`INSERT INTO learners (id, workshop_id, display_name, token_hash, joined_at) VALUES (?, ?, ?, x'00', 0)`);
    for (const [id, w] of [
      ['a', 'w1'],
      ['b', 'w2'],
      ['c', 'w1'],
      ['d', 'w1'],
    ])
      learner.run(id, w, `name ${id}`);
    db.close();

    const store = SqliteWorkshopStore.open(file);
    try {
      expect((await store.learners('w1')).map((l) => l.handle)).toEqual(['learner-1', 'learner-2', 'learner-3']);
      expect((await store.learners('w2')).map((l) => l.handle)).toEqual(['learner-1']);
      expect((await store.workshop('w1'))!.sharedRegistry).toBe(false);
      // The next to join is numbered after them.
      expect((await new Workshops(store).join('AAAA-AAAA', 'Dana')).learner.handle).toBe('dana-4');
    } finally {
      await store.close();
    }
  });
});
