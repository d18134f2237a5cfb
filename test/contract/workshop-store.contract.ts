import { afterEach, describe, expect, it } from 'vitest';
import { hashToken } from '../../sandbox-server/sessions/session-secret.js';
import { JOIN_CODE_PATTERN } from '../../sandbox-server/workshops/join-code.js';
import { MAX_DISPLAY_NAME_CHARS } from '../../sandbox-server/workshops/display-name.js';
import { advancePosition } from '../../sandbox-server/workshops/learner-position.js';
import type { WorkshopStore } from '../../sandbox-server/workshops/workshop-store.js';
import { START_POSITION } from '../../sandbox-server/workshops/workshop-types.js';
import { MAX_HINT_CHARS, MAX_HINTS_PER_WORKSHOP, Workshops } from '../../sandbox-server/workshops/workshops.js';

/**
 * What the workshops' data access promises on every store (SQLite, PostgreSQL): the same
 * calls through `Workshops`, the same answers and refusals.
 */
export function workshopStoreContract(name: string, make: () => Promise<WorkshopStore>): void {
  describe(`workshop store contract: ${name}`, () => {
    let store: WorkshopStore | undefined;
    let clock = 1_000_000;
    afterEach(async () => {
      await store?.close();
      store = undefined;
    });
    const open = async () => {
      store = await make();
      clock = 1_000_000;
      return new Workshops(store, { now: () => clock });
    };
    const aWorkshop = (w: Workshops, more: Partial<Parameters<Workshops['create']>[0]> = {}) =>
      w.create({ title: 'Docker 101', lessons: ['01-hello', '02-images', '03-layers'], ...more });
    const code = (promise: Promise<unknown>) =>
      promise.then(
        () => 'no error',
        (e: { code?: string }) => e.code ?? String(e),
      );

    it('creates a workshop with a short unambiguous join code and keeps only the hash of its secret', async () => {
      const w = await open();
      const { workshop, instructorSecret } = await aWorkshop(w, { maxLearners: 30, learnerLimits: { memoryBytes: 64 * 2 ** 20 } });
      expect(workshop.joinCode).toMatch(JOIN_CODE_PATTERN);
      expect(workshop).toMatchObject({
        title: 'Docker 101',
        lessons: ['01-hello', '02-images', '03-layers'],
        maxLearners: 30,
        joinPaused: false,
        closedAt: null,
      });
      expect(workshop.learnerLimits).toEqual({ memoryBytes: 64 * 2 ** 20 });
      const row = (await store!.workshop(workshop.id))!;
      expect(row.secretHash.equals(hashToken(instructorSecret))).toBe(true);
      expect(JSON.stringify(row)).not.toContain(instructorSecret);
      expect(await store!.workshopByJoinCode(workshop.joinCode)).toMatchObject({ id: workshop.id });
      expect(JSON.stringify(workshop)).not.toContain('secretHash');
    });

    it('refuses a wrong secret, and an old secret once it is revoked', async () => {
      const w = await open();
      const { workshop, instructorSecret } = await aWorkshop(w);
      const other = await aWorkshop(w);
      expect((await w.asInstructor(workshop.id, instructorSecret)).id).toBe(workshop.id);
      for (const wrong of [other.instructorSecret, '', instructorSecret.slice(0, -1), `${instructorSecret}x`, undefined]) {
        expect(await code(w.asInstructor(workshop.id, wrong))).toBe('WRONG_SECRET');
      }
      expect(await code(w.asInstructor('f'.repeat(32), instructorSecret))).toBe('NO_SUCH_WORKSHOP');
      const next = await w.rotateSecret(workshop.id, instructorSecret);
      expect(await code(w.asInstructor(workshop.id, instructorSecret))).toBe('WRONG_SECRET');
      expect(await code(w.classOf(workshop.id, instructorSecret))).toBe('WRONG_SECRET');
      expect((await w.asInstructor(workshop.id, next)).id).toBe(workshop.id);
    });

    it('joins by the code as typed and stores hostile display names exactly as given', async () => {
      const w = await open();
      const { workshop, instructorSecret } = await aWorkshop(w);
      const typed = ` ${workshop.joinCode.toLowerCase().replace('-', ' ')} `;
      const names = [
        '<img src=x onerror=alert(1)>',
        '\u202Egnp.exe',
        '"; DROP TABLE learners; --',
        '김도커 🐳',
        "O'Brien & <b>co</b>",
        'x'.repeat(MAX_DISPLAY_NAME_CHARS - 1) + '🐳',
      ];
      for (const name of names) await w.join(typed, name);
      const { learners } = await w.classOf(workshop.id, instructorSecret);
      expect(learners.map((l) => l.displayName)).toEqual(names);
      expect(learners.every((l) => l.workshopId === workshop.id && l.position.lesson === null)).toBe(true);
    });

    it('refuses names it cannot store or show: NUL, controls, lone surrogates, empty, 10 MB, one character too many', async () => {
      const w = await open();
      const { workshop, instructorSecret } = await aWorkshop(w);
      for (const name of [
        'ab\u0000cd',
        'line\nbreak',
        '\u001b[31mred',
        'half \ud83d',
        '',
        '   ',
        'x'.repeat(10 * 2 ** 20),
        '🐳'.repeat(MAX_DISPLAY_NAME_CHARS + 1),
      ]) {
        expect(await code(w.join(workshop.joinCode, name))).toBe('INVALID_DISPLAY_NAME');
      }
      expect((await w.classOf(workshop.id, instructorSecret)).learners).toEqual([]);
    });

    it('refuses a join past the learner limit, even when the joins race', async () => {
      const w = await open();
      const { workshop, instructorSecret } = await aWorkshop(w, { maxLearners: 3 });
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => code(w.join(workshop.joinCode, `learner ${i}`))));
      expect(results.filter((r) => r === 'no error')).toHaveLength(3);
      expect(results.filter((r) => r === 'WORKSHOP_FULL')).toHaveLength(7);
      expect((await w.classOf(workshop.id, instructorSecret)).learners).toHaveLength(3);
    });

    it('refuses joins while paused and after close, and an unknown code', async () => {
      const w = await open();
      const { workshop, instructorSecret } = await aWorkshop(w);
      expect((await w.setJoinPaused(workshop.id, instructorSecret, true)).joinPaused).toBe(true);
      expect(await code(w.join(workshop.joinCode, 'late'))).toBe('JOINING_PAUSED');
      await w.setJoinPaused(workshop.id, instructorSecret, false);
      const { learner, resumeToken } = await w.join(workshop.joinCode, 'on time');
      clock += 5;
      expect((await w.close(workshop.id, instructorSecret)).closedAt).toBe(clock);
      expect(await code(w.join(workshop.joinCode, 'later'))).toBe('WORKSHOP_CLOSED');
      expect(await code(w.report(workshop.id, learner.id, resumeToken, { lesson: '01-hello', step: 0 }))).toBe('WORKSHOP_CLOSED');
      expect(await code(w.setJoinPaused(workshop.id, 'wrong', true))).toBe('WRONG_SECRET');
      for (const typed of ['', 'ZZZZ-ZZZZ', 'O0I1-L1UV', workshop.joinCode + 'X']) expect(await code(w.join(typed, 'x'))).toBe('NO_SUCH_WORKSHOP');
    });

    it('resumes a learner only with their own token', async () => {
      const w = await open();
      const { workshop } = await aWorkshop(w);
      const other = await aWorkshop(w);
      const a = await w.join(workshop.joinCode, 'a');
      const b = await w.join(workshop.joinCode, 'b');
      const c = await w.join(other.workshop.joinCode, 'c');
      expect((await w.asLearner(workshop.id, a.learner.id, a.resumeToken)).learner.displayName).toBe('a');
      expect(await code(w.asLearner(workshop.id, a.learner.id, b.resumeToken))).toBe('NO_SUCH_LEARNER');
      expect(await code(w.asLearner(workshop.id, a.learner.id, undefined))).toBe('NO_SUCH_LEARNER');
      expect(await code(w.asLearner(workshop.id, c.learner.id, c.resumeToken))).toBe('NO_SUCH_LEARNER');
      const row = (await store!.learner(workshop.id, a.learner.id))!;
      expect(row.tokenHash.equals(hashToken(a.resumeToken))).toBe(true);
    });

    it('records progress events and derives the position from them', async () => {
      const w = await open();
      const { workshop, instructorSecret } = await aWorkshop(w);
      const { learner, resumeToken } = await w.join(workshop.joinCode, 'ada');
      const reports = [
        { lesson: '01-hello', step: 0 },
        { lesson: '01-hello', step: 0, command: 'docker run busybox echo hi', exitCode: 0 },
        { lesson: '01-hello', step: 1, command: 'docker ps -a', exitCode: 0 },
        { lesson: '01-hello', step: 1, command: 'docker rm nope', exitCode: 1 },
        { lesson: '01-hello', step: 1, command: 'echo a\u0000b', exitCode: 127 },
      ];
      let position = START_POSITION;
      for (const report of reports) {
        clock += 1000;
        const got = await w.report(workshop.id, learner.id, resumeToken, report);
        position = advancePosition(position, { command: null, exitCode: null, ...report, at: clock });
        expect(got).toEqual({ ...position, lastCommand: got.lastCommand });
      }
      const stored = (await w.classOf(workshop.id, instructorSecret)).learners[0]!.position;
      expect(stored).toEqual({
        lesson: '01-hello',
        step: 1,
        stepSince: 1_003_000,
        commands: 4,
        failedCommands: 2,
        lastCommand: 'echo a\u2400b',
        lastExitCode: 127,
        lastAt: 1_005_000,
      });
      const events = await w.progressOf(workshop.id, instructorSecret, learner.id);
      expect(events.map((e) => [e.step, e.command, e.exitCode, e.at])).toEqual([
        [0, null, null, 1_001_000],
        [0, 'docker run busybox echo hi', 0, 1_002_000],
        [1, 'docker ps -a', 0, 1_003_000],
        [1, 'docker rm nope', 1, 1_004_000],
        [1, 'echo a\u2400b', 127, 1_005_000],
      ]);
    });

    it("folds a learner's reports one after another when they race: no count lost", async () => {
      const w = await open();
      const { workshop, instructorSecret } = await aWorkshop(w);
      const { learner, resumeToken } = await w.join(workshop.joinCode, 'ada');
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          w.report(workshop.id, learner.id, resumeToken, { lesson: '01-hello', step: 0, command: `c${i}`, exitCode: i % 2 }),
        ),
      );
      const { position } = (await w.classOf(workshop.id, instructorSecret)).learners[0]!;
      expect([position.commands, position.failedCommands]).toEqual([20, 10]);
      expect(await store!.progress(learner.id)).toHaveLength(20);
    });

    it('refuses progress for a lesson outside the workshop, a command without its exit code, or a wrong token', async () => {
      const w = await open();
      const { workshop } = await aWorkshop(w);
      const { learner, resumeToken } = await w.join(workshop.joinCode, 'ada');
      expect(await code(w.report(workshop.id, learner.id, resumeToken, { lesson: '09-other', step: 0 }))).toBe('INVALID_PROGRESS');
      expect(await code(w.report(workshop.id, learner.id, resumeToken, { lesson: '01-hello', step: 0, command: 'ls' }))).toBe('INVALID_PROGRESS');
      expect(await code(w.report(workshop.id, learner.id, resumeToken, { lesson: '01-hello', step: -1 }))).toBe('INVALID_PROGRESS');
      expect(await code(w.report(workshop.id, learner.id, 'not-it', { lesson: '01-hello', step: 0 }))).toBe('NO_SUCH_LEARNER');
      expect(await store!.progress(learner.id)).toEqual([]);
    });

    it("refuses a learner's reports past the events kept per learner, keeping the position at the last one kept", async () => {
      store = await make();
      const w = new Workshops(store, { now: () => clock, maxEventsPerLearner: 3 });
      const { workshop } = await aWorkshop(w);
      const a = await w.join(workshop.joinCode, 'a');
      const b = await w.join(workshop.joinCode, 'b');
      for (let step = 0; step < 3; step++) await w.report(workshop.id, a.learner.id, a.resumeToken, { lesson: '01-hello', step });
      expect(await code(w.report(workshop.id, a.learner.id, a.resumeToken, { lesson: '02-images', step: 0 }))).toBe('PROGRESS_LIMIT');
      expect(await store.progress(a.learner.id)).toHaveLength(3);
      expect((await store.learner(workshop.id, a.learner.id))!.position).toMatchObject({ lesson: '01-hello', step: 2 });
      // The cap is each learner's own.
      expect((await w.report(workshop.id, b.learner.id, b.resumeToken, { lesson: '02-images', step: 0 })).lesson).toBe('02-images');
    });

    it("refuses a workshop of lessons the site does not have, or over the server's learner limit", async () => {
      store = await make();
      const w = new Workshops(store, { lessons: new Set(['01-hello', '02-images']), maxLearners: 40 });
      expect(await code(w.create({ title: 't', lessons: ['01-hello', '99-nope'] }))).toBe('INVALID_WORKSHOP');
      expect(await code(w.create({ title: 't', lessons: ['01-hello', '01-hello'] }))).toBe('INVALID_WORKSHOP');
      expect(await code(w.create({ title: 't', lessons: ['02-images'], maxLearners: 41 }))).toBe('INVALID_WORKSHOP');
      expect(await code(w.create({ title: '\u0000', lessons: ['02-images'] }))).toBe('INVALID_WORKSHOP');
      expect((await w.create({ title: 't', lessons: ['02-images', '01-hello'] })).workshop).toMatchObject({
        lessons: ['02-images', '01-hello'],
        maxLearners: 40,
      });
    });

    it("keeps each workshop's stuck settings: the defaults, those chosen at create, and a change by the secret only", async () => {
      const w = await open();
      const plain = await aWorkshop(w);
      expect(plain.workshop.stuckSettings).toEqual({ slowFactor: 3, slowFloorMs: 120_000, failingCommands: 3 });
      expect((await store!.workshop(plain.workshop.id))!.stuckSettings).toEqual(plain.workshop.stuckSettings);
      const { workshop, instructorSecret } = await aWorkshop(w, { stuckSettings: { slowFactor: 1.5, failingCommands: 5 } });
      const chosen = { slowFactor: 1.5, slowFloorMs: 120_000, failingCommands: 5 };
      expect(workshop.stuckSettings).toEqual(chosen);
      expect((await store!.workshop(workshop.id))!.stuckSettings).toEqual(chosen);
      expect((await store!.workshopByJoinCode(workshop.joinCode))!.stuckSettings).toEqual(chosen);

      const changed = await w.setStuckSettings(workshop.id, instructorSecret, { slowFloorMs: 45_000 });
      expect(changed.stuckSettings).toEqual({ ...chosen, slowFloorMs: 45_000 });
      expect((await w.classOf(workshop.id, instructorSecret)).workshop.stuckSettings).toEqual({ ...chosen, slowFloorMs: 45_000 });
      // A pause or a close leaves them; the other workshop never had them.
      await w.setJoinPaused(workshop.id, instructorSecret, true);
      expect((await store!.workshop(workshop.id))!.stuckSettings).toEqual({ ...chosen, slowFloorMs: 45_000 });
      expect((await store!.workshop(plain.workshop.id))!.stuckSettings).toEqual(plain.workshop.stuckSettings);

      expect(await code(w.setStuckSettings(workshop.id, 'wrong', { failingCommands: 1 }))).toBe('WRONG_SECRET');
      expect(await code(w.setStuckSettings(workshop.id, instructorSecret, { slowFloorMs: 45_000, failingCommands: 0 }))).toBe('INVALID_WORKSHOP');
      // A refused change changes nothing, not even its valid part.
      expect((await store!.workshop(workshop.id))!.stuckSettings).toEqual({ ...chosen, slowFloorMs: 45_000 });
      for (const bad of [{ slowFactor: 0 }, { slowFloorMs: 1.5 }, { failingCommands: 100 }, { slowFactor: Number.NaN }]) {
        expect(await code(aWorkshop(w, { stuckSettings: bad }))).toBe('INVALID_WORKSHOP');
      }
    });

    it('stores hints to everyone and to one learner, each learner reading theirs and the ones to all, oldest first', async () => {
      const w = await open();
      const { workshop, instructorSecret } = await aWorkshop(w);
      const other = await aWorkshop(w);
      const a = await w.join(workshop.joinCode, 'a');
      const b = await w.join(workshop.joinCode, 'b');
      const c = await w.join(other.workshop.joinCode, 'c');
      clock += 1;
      const all = await w.sendHint(workshop.id, instructorSecret, 'docker ps -a shows stopped ones too');
      clock += 1;
      const toA = await w.sendHint(workshop.id, instructorSecret, 'line one\n\tline two <b>not bold</b>', a.learner.id);
      expect(all).toMatchObject({ toAll: true, learnerId: null, at: 1_000_001 });
      expect(toA).toMatchObject({ toAll: false, learnerId: a.learner.id, at: 1_000_002 });
      const strip = ({ learnerId: _, ...hint }: typeof all) => hint;
      expect(await w.hintsFor(workshop.id, a.learner.id, a.resumeToken)).toEqual([strip(all), strip(toA)]);
      expect(await w.hintsFor(workshop.id, b.learner.id, b.resumeToken)).toEqual([strip(all)]);
      expect(await w.hintsFor(other.workshop.id, c.learner.id, c.resumeToken)).toEqual([]);
      // Another learner's token reads nothing; a hint goes only to the workshop's own learners, with its own secret.
      expect(await code(w.hintsFor(workshop.id, a.learner.id, b.resumeToken))).toBe('NO_SUCH_LEARNER');
      expect(await code(w.sendHint(workshop.id, instructorSecret, 'x', c.learner.id))).toBe('NO_SUCH_LEARNER');
      expect(await code(w.sendHint(workshop.id, other.instructorSecret, 'x'))).toBe('WRONG_SECRET');
      for (const text of ['', '  \n ', 'a\u0000b', '\u001b[31mred', 'half \ud83d', '🐳'.repeat(MAX_HINT_CHARS + 1)]) {
        expect(await code(w.sendHint(workshop.id, instructorSecret, text))).toBe('INVALID_HINT');
      }
      expect((await w.sendHint(workshop.id, instructorSecret, '🐳'.repeat(MAX_HINT_CHARS))).text).toHaveLength(2 * MAX_HINT_CHARS);
      expect(await store!.hints(workshop.id, b.learner.id)).toHaveLength(2);
    });

    it('refuses hints past the ones a workshop keeps, even when they race', async () => {
      store = await make();
      const w = new Workshops(store, { now: () => clock, maxHintsPerWorkshop: 8 });
      const { workshop, instructorSecret } = await aWorkshop(w);
      const other = await aWorkshop(w);
      const { learner, resumeToken } = await w.join(workshop.joinCode, 'a');
      const base = { workshopId: workshop.id, learnerId: null, text: 'x', at: 1, toAll: true };
      for (let i = 0; i < 3; i++) expect(await store.addHint({ ...base, id: `h${i}` }, 8)).toEqual({ ok: true });
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => code(w.sendHint(workshop.id, instructorSecret, `race ${i}`))));
      expect(results.filter((r) => r === 'no error')).toHaveLength(5);
      expect(results.filter((r) => r === 'HINT_LIMIT')).toHaveLength(5);
      expect(await w.hintsFor(workshop.id, learner.id, resumeToken)).toHaveLength(8);
      // The cap is each workshop's own; the server's default is a 2-hour class's worth.
      expect((await w.sendHint(other.workshop.id, other.instructorSecret, 'elsewhere')).toAll).toBe(true);
      expect(MAX_HINTS_PER_WORKSHOP).toBeGreaterThanOrEqual(1800);
    });

    it('keeps the class namespace of the registry closed unless the instructor opens it, at create or with the secret, and never once closed or deleted', async () => {
      const w = await open();
      const { workshop, instructorSecret } = await aWorkshop(w);
      expect(workshop.sharedRegistry).toBe(false);
      expect(await w.sharedRegistryOpen(workshop.id)).toBe(false);
      expect(await code(w.setSharedRegistry(workshop.id, 'wrong', true))).toBe('WRONG_SECRET');
      expect(await w.sharedRegistryOpen(workshop.id)).toBe(false);
      expect((await w.setSharedRegistry(workshop.id, instructorSecret, true)).sharedRegistry).toBe(true);
      expect(await w.sharedRegistryOpen(workshop.id)).toBe(true);
      expect((await store!.workshop(workshop.id))!.sharedRegistry).toBe(true);
      // Other changes leave it as it is.
      await w.setJoinPaused(workshop.id, instructorSecret, true);
      expect(await w.sharedRegistryOpen(workshop.id)).toBe(true);
      expect((await w.setSharedRegistry(workshop.id, instructorSecret, false)).sharedRegistry).toBe(false);
      expect(await w.sharedRegistryOpen(workshop.id)).toBe(false);

      const opened = await aWorkshop(w, { sharedRegistry: true });
      expect(opened.workshop.sharedRegistry).toBe(true);
      expect(await w.sharedRegistryOpen(opened.workshop.id)).toBe(true);
      await w.close(opened.workshop.id, opened.instructorSecret);
      expect(await w.sharedRegistryOpen(opened.workshop.id)).toBe(false);
      const deleted = await aWorkshop(w, { sharedRegistry: true });
      await w.delete(deleted.workshop.id, deleted.instructorSecret);
      expect(await w.sharedRegistryOpen(deleted.workshop.id)).toBe(false);
      expect(await w.sharedRegistryOpen('no-such-workshop')).toBe(false);
    });

    it('gives each learner a handle from their name and number, unique in the workshop even when joins race under one name', async () => {
      const w = await open();
      const { workshop, instructorSecret } = await aWorkshop(w);
      const names = ['Alice', '김민수', '../Évil  Bob/..', 'alice', '<script>', 'a'.repeat(64)];
      const handles = [];
      for (const name of names) handles.push((await w.join(workshop.joinCode, name)).learner.handle);
      expect(handles).toEqual(['alice-1', 'learner-2', 'evil-bob-3', 'alice-4', 'script-5', `${'a'.repeat(16)}-6`]);
      const raced = await Promise.all(Array.from({ length: 8 }, () => w.join(workshop.joinCode, 'Twin')));
      const racedHandles = raced.map((j) => j.learner.handle);
      expect(new Set(racedHandles).size).toBe(8);
      expect([...racedHandles].sort()).toEqual(Array.from({ length: 8 }, (_, i) => `twin-${i + 7}`).sort());
      // One path component of distribution's grammar, whatever was typed.
      for (const h of [...handles, ...racedHandles]) expect(h).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      // Stored: the class and a resume say the same.
      const first = raced[0]!;
      expect((await w.asLearner(workshop.id, first.learner.id, first.resumeToken)).learner.handle).toBe(first.learner.handle);
      const { learners } = await w.classOf(workshop.id, instructorSecret);
      expect(learners.map((l) => l.handle).slice(0, 6)).toEqual(handles);
      // Numbers are each workshop's own.
      const other = await aWorkshop(w);
      expect((await w.join(other.workshop.joinCode, 'Alice')).learner.handle).toBe('alice-1');
    });

    it('deletes a workshop with its learners and their progress', async () => {
      const w = await open();
      const { workshop, instructorSecret } = await aWorkshop(w);
      const kept = await aWorkshop(w);
      const { learner, resumeToken } = await w.join(workshop.joinCode, 'ada');
      const other = await w.join(kept.workshop.joinCode, 'bob');
      await w.report(workshop.id, learner.id, resumeToken, { lesson: '01-hello', step: 0, command: 'ls', exitCode: 0 });
      await w.report(kept.workshop.id, other.learner.id, other.resumeToken, { lesson: '01-hello', step: 0, command: 'ls', exitCode: 0 });
      await w.sendHint(workshop.id, instructorSecret, 'to all');
      await w.sendHint(workshop.id, instructorSecret, 'to ada', learner.id);
      await w.sendHint(kept.workshop.id, kept.instructorSecret, 'kept');
      expect(await code(w.delete(workshop.id, 'wrong'))).toBe('WRONG_SECRET');
      expect(await store!.workshopIds()).toEqual(expect.arrayContaining([workshop.id, kept.workshop.id]));
      await w.delete(workshop.id, instructorSecret);
      expect(await store!.workshop(workshop.id)).toBeUndefined();
      // The registry's sweep removes the class namespace of a workshop not listed here.
      const ids = await store!.workshopIds();
      expect(ids).toContain(kept.workshop.id);
      expect(ids).not.toContain(workshop.id);
      expect(await store!.learner(workshop.id, learner.id)).toBeUndefined();
      expect(await store!.progress(learner.id)).toEqual([]);
      expect(await store!.progress(other.learner.id)).toHaveLength(1);
      expect(await store!.hints(workshop.id, learner.id)).toEqual([]);
      expect((await store!.hints(kept.workshop.id, other.learner.id)).map((h) => h.text)).toEqual(['kept']);
      expect(await code(w.join(workshop.joinCode, 'x'))).toBe('NO_SUCH_WORKSHOP');
    });
  });
}
