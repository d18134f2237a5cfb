import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SQLITE_MIGRATIONS } from '../../sandbox-server/workshops/sqlite-migrations.js';
import { SqliteWorkshopStore } from '../../sandbox-server/workshops/sqlite-workshop-store.js';
import { Workshops } from '../../sandbox-server/workshops/workshops.js';

const store = resolve('sandbox-server/workshops/sqlite-workshop-store.ts');
const workshops = resolve('sandbox-server/workshops/workshops.ts');

/** A server's writes as fast as it can make them: each line it prints is a report that has committed. */
const WRITER = `
import { SqliteWorkshopStore } from ${JSON.stringify(store)};
import { Workshops } from ${JSON.stringify(workshops)};
const [file] = process.argv.slice(-1);
const w = new Workshops(SqliteWorkshopStore.open(file));
const { workshop, instructorSecret } = await w.create({ title: 'crash', lessons: ['01-hello'] });
const { learner, resumeToken } = await w.join(workshop.joinCode, 'first writer');
const hint = await w.sendHint(workshop.id, instructorSecret, 'sent before the crash', learner.id);
console.log(JSON.stringify({ workshopId: workshop.id, learnerId: learner.id, resumeToken, instructorSecret, joinCode: workshop.joinCode, hint }));
for (let n = 1; ; n++) {
  if (n % 100 === 0) await w.sendHint(workshop.id, instructorSecret, 'hint ' + n);
  await w.report(workshop.id, learner.id, resumeToken, { lesson: '01-hello', step: n % 7, command: 'echo ' + n, exitCode: n % 3 === 0 ? 1 : 0 });
  process.stdout.write(n + '\\n');
}
`;

let dir: string | undefined;
let writer: ChildProcess | undefined;
afterEach(() => {
  if (writer?.exitCode === null && writer.signalCode === null) writer.kill('SIGKILL');
  writer = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('the SQLite workshop store after a crash', () => {
  it('loses no committed write (reports, hints) when its writer is killed -9 mid-write, and takes a second writer before and after', async () => {
    dir = mkdtempSync(join(tmpdir(), 'layerlab-workshop-crash-'));
    const file = join(dir, 'workshops.sqlite');
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', WRITER, file], { stdio: ['ignore', 'pipe', 'inherit'] });
    writer = child;
    const exited = new Promise((r) => child.once('exit', r));
    const lines = createInterface({ input: child.stdout! });
    let ids:
      | { workshopId: string; learnerId: string; resumeToken: string; instructorSecret: string; joinCode: string; hint: { id: string; text: string } }
      | undefined;
    let committed = 0;
    let secondWrites = 0;
    const second = new Workshops(SqliteWorkshopStore.open(file));
    await new Promise<void>((done, fail) => {
      child.once('exit', (code) => fail(new Error(`the writer exited ${code} before it was killed`)));
      lines.on('line', (line) => {
        if (!ids) {
          ids = JSON.parse(line);
          return;
        }
        committed = Number(line);
        // A second process writing beside the first: it waits for the write lock (busy timeout), never SQLITE_BUSY.
        if (committed % 50 === 0 && secondWrites < 4) {
          secondWrites++;
          void second.join(ids.joinCode, `second writer ${secondWrites}`).catch(fail);
        }
        if (committed >= 400) {
          child.kill('SIGKILL');
          done();
        }
      });
    });
    await exited;
    await second.store.close();
    expect(child.signalCode).toBe('SIGKILL');

    const reopened = new Workshops(SqliteWorkshopStore.open(file));
    const events = await reopened.progressOf(ids!.workshopId, ids!.instructorSecret, ids!.learnerId);
    // Every report the writer saw commit is there, in order; at most the one in flight beyond them.
    expect(events.length).toBeGreaterThanOrEqual(committed);
    expect(events.slice(0, committed).map((e) => e.command)).toEqual(Array.from({ length: committed }, (_, i) => `echo ${i + 1}`));
    // The position moved in the same transaction as each event: never one without the other.
    const { learners } = await reopened.classOf(ids!.workshopId, ids!.instructorSecret);
    expect(learners[0]!.position.commands).toBe(events.length);
    expect(learners.map((l) => l.displayName)).toEqual(['first writer', ...Array.from({ length: secondWrites }, (_, i) => `second writer ${i + 1}`)]);
    // The next server writes on.
    const position = await reopened.report(ids!.workshopId, ids!.learnerId, ids!.resumeToken, {
      lesson: '01-hello',
      step: 0,
      command: 'after',
      exitCode: 0,
    });
    expect(position.commands).toBe(events.length + 1);
    // The hints committed before the kill are there for the learner's next socket: the one to them, and one to all every 100 reports.
    const hints = await reopened.hintsFor(ids!.workshopId, ids!.learnerId, ids!.resumeToken);
    expect(hints[0]).toMatchObject({ id: ids!.hint.id, text: 'sent before the crash', toAll: false });
    expect(hints.slice(1).map((h) => h.text)).toEqual(
      Array.from({ length: Math.floor(events.length / 100) }, (_, i) => `hint ${(i + 1) * 100}`).slice(0, hints.length - 1),
    );
    expect(hints.length - 1).toBeGreaterThanOrEqual(Math.floor(committed / 100));
    await reopened.store.close();

    const db = new Database(file);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare('SELECT version FROM schema_migrations').all()).toEqual(SQLITE_MIGRATIONS.map((m) => ({ version: m.version })));
    db.close();
  });
});
