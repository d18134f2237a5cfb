import { hashToken, newSessionId, newSessionToken, tokenMatches } from '../sessions/session-secret.js';
import { CONTROL, LONE_SURROGATE, checkDisplayName } from './display-name.js';
import { newJoinCode, normalizeJoinCode } from './join-code.js';
import type { StuckSettings } from './stuck.js';
import { stuckSettingsOf } from './stuck-settings.js';
import { WorkshopError } from './workshop-errors.js';
import { DEFAULT_WORKSHOP_LIMITS } from './workshop-limits.js';
import { handleBase } from './handle-base.js';
import type { HintRefusal, JoinRefusal, LearnerRow, NewLearnerRow, WorkshopRow, WorkshopStore } from './workshop-store.js';
import {
  START_POSITION,
  type Hint,
  type Learner,
  type LearnerLimits,
  type LearnerPosition,
  type ProgressEvent,
  type Workshop,
} from './workshop-types.js';

export const MAX_TITLE_CHARS = 200;
export const MAX_LESSONS = 100;
/** A command as long as the command API takes (`MAX_COMMAND_LENGTH`'s order); longer ones are cut, marked. */
export const MAX_RECORDED_COMMAND_CHARS = 4096;
/**
 * What one learner's reports may fill: a command every 2 seconds through a 2-hour class is 3600.
 * Past it the learner's reports are refused, so a scripted client cannot grow the database without end.
 */
export const MAX_EVENTS_PER_LEARNER = 5000;
/** A hint is a sentence or a short paragraph, in code points. */
export const MAX_HINT_CHARS = 1000;
/** Hints one workshop keeps: one every 4 seconds through a 2-hour class is 1800. */
export const MAX_HINTS_PER_WORKSHOP = 2000;
// Controls but newline and tab: a hint may be a few lines, or an indented command.
// eslint-disable-next-line no-control-regex -- finding them is the point
const HINT_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/u;
const LESSON_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

export interface NewWorkshop {
  title: string;
  lessons: string[];
  maxLearners?: number;
  learnerLimits?: LearnerLimits;
  /** Over the defaults (`DEFAULT_STUCK_SETTINGS`); each checked against `STUCK_SETTINGS_RANGE`. */
  stuckSettings?: Partial<StuckSettings>;
  /** The class namespace of the registry open from the start; off by default. */
  sharedRegistry?: boolean;
}

export interface ProgressReport {
  lesson: string;
  step: number;
  command?: string | null;
  exitCode?: number | null;
}

/**
 * The workshops' one data-access module: what the API and (later) the dashboard call. Secrets
 * and resume tokens are made here and only their sha256 is stored (`session-secret.ts`, compared
 * in constant time); names and reports are checked here; the store keeps rows.
 */
export class Workshops {
  private readonly now: () => number;
  /** The most learners a workshop may take (`WorkshopLimits.maxLearners`); also a workshop's default. */
  readonly maxLearners: number;
  /** The site's lessons (`siteLessons`); any slug when unknown. */
  private readonly lessons: ReadonlySet<string> | undefined;
  private readonly maxEvents: number;
  private readonly maxHints: number;

  constructor(
    readonly store: WorkshopStore,
    options: {
      now?: () => number;
      maxLearners?: number;
      lessons?: ReadonlySet<string>;
      maxEventsPerLearner?: number;
      maxHintsPerWorkshop?: number;
    } = {},
  ) {
    this.now = options.now ?? Date.now;
    this.lessons = options.lessons;
    this.maxEvents = options.maxEventsPerLearner ?? MAX_EVENTS_PER_LEARNER;
    this.maxHints = options.maxHintsPerWorkshop ?? MAX_HINTS_PER_WORKSHOP;
    this.maxLearners = options.maxLearners ?? DEFAULT_WORKSHOP_LIMITS.maxLearners;
  }

  /** A new workshop and its instructor secret — the only time the secret exists in the clear. */
  async create(input: NewWorkshop): Promise<{ workshop: Workshop; instructorSecret: string }> {
    const title = input.title;
    if (title.trim() === '' || [...title].length > MAX_TITLE_CHARS || CONTROL.test(title) || LONE_SURROGATE.test(title)) {
      throw new WorkshopError('INVALID_WORKSHOP', `the title must be 1 to ${MAX_TITLE_CHARS} characters, without control characters`);
    }
    if (input.lessons.length === 0 || input.lessons.length > MAX_LESSONS || !input.lessons.every((l) => LESSON_PATTERN.test(l))) {
      throw new WorkshopError('INVALID_WORKSHOP', `a workshop takes 1 to ${MAX_LESSONS} lessons, each a lesson's slug`);
    }
    if (new Set(input.lessons).size !== input.lessons.length) throw new WorkshopError('INVALID_WORKSHOP', 'a lesson is listed twice');
    const unknown = this.lessons && input.lessons.find((l) => !this.lessons!.has(l));
    if (unknown !== undefined) throw new WorkshopError('INVALID_WORKSHOP', `this site has no lesson ${JSON.stringify(unknown)}`);
    const maxLearners = input.maxLearners ?? this.maxLearners;
    if (!Number.isInteger(maxLearners) || maxLearners < 1 || maxLearners > this.maxLearners) {
      throw new WorkshopError('INVALID_WORKSHOP', `maxLearners must be 1 to ${this.maxLearners} on this server`);
    }
    const stuckSettings = stuckSettingsOf(input.stuckSettings);
    const instructorSecret = newSessionToken();
    for (let attempt = 0; attempt < 5; attempt++) {
      const row: WorkshopRow = {
        id: newSessionId(),
        title,
        lessons: [...input.lessons],
        maxLearners,
        learnerLimits: { ...input.learnerLimits },
        joinCode: newJoinCode(),
        secretHash: hashToken(instructorSecret),
        joinPaused: false,
        stuckSettings,
        closedAt: null,
        sharedRegistry: input.sharedRegistry ?? false,
        createdAt: this.now(),
      };
      if (await this.store.insertWorkshop(row)) return { workshop: publicWorkshop(row), instructorSecret };
    }
    // 5 collisions in a space of 6.6·10^11 codes is a broken random source, not bad luck.
    throw new Error('no free join code after 5 draws');
  }

  /** The workshop if `secret` is its instructor's; `WRONG_SECRET` otherwise, the same for every wrong one. */
  async asInstructor(workshopId: string, secret: string | undefined): Promise<Workshop> {
    const row = await this.store.workshop(workshopId);
    if (!row) throw new WorkshopError('NO_SUCH_WORKSHOP', 'no such workshop');
    if (secret === undefined || !tokenMatches(row.secretHash, secret))
      throw new WorkshopError('WRONG_SECRET', 'the instructor secret is wrong or was revoked');
    return publicWorkshop(row);
  }

  /** Revokes the secret: the old one stops working, the returned one is the instructor's now. */
  async rotateSecret(workshopId: string, secret: string | undefined): Promise<string> {
    await this.asInstructor(workshopId, secret);
    const next = newSessionToken();
    await this.store.updateWorkshop(workshopId, { secretHash: hashToken(next) });
    return next;
  }

  async setJoinPaused(workshopId: string, secret: string | undefined, paused: boolean): Promise<Workshop> {
    await this.asInstructor(workshopId, secret);
    await this.store.updateWorkshop(workshopId, { joinPaused: paused });
    return this.asInstructor(workshopId, secret);
  }

  /** Changes who the dashboard flags stuck: `change` over the workshop's settings now, checked as at create. */
  async setStuckSettings(workshopId: string, secret: string | undefined, change: Partial<StuckSettings>): Promise<Workshop> {
    const workshop = await this.asInstructor(workshopId, secret);
    await this.store.updateWorkshop(workshopId, { stuckSettings: stuckSettingsOf(change, workshop.stuckSettings) });
    return this.asInstructor(workshopId, secret);
  }

  /** Opens or closes the class namespace of the registry; what learners pushed there stays either way until the workshop is deleted. */
  async setSharedRegistry(workshopId: string, secret: string | undefined, open: boolean): Promise<Workshop> {
    await this.asInstructor(workshopId, secret);
    await this.store.updateWorkshop(workshopId, { sharedRegistry: open });
    return this.asInstructor(workshopId, secret);
  }

  /**
   * Whether a learner's sandbox may use the class namespace now: the instructor opened it and
   * the workshop is neither closed nor deleted. Asked on every registry request, so a change
   * reaches the sandboxes at once.
   */
  async sharedRegistryOpen(workshopId: string): Promise<boolean> {
    const row = await this.store.workshop(workshopId);
    return row !== undefined && row.sharedRegistry && row.closedAt === null;
  }

  /** Closed for good: no joins, no progress; what is stored stays until the workshop is deleted. */
  async close(workshopId: string, secret: string | undefined): Promise<Workshop> {
    const workshop = await this.asInstructor(workshopId, secret);
    if (workshop.closedAt === null) await this.store.updateWorkshop(workshopId, { closedAt: this.now() });
    return this.asInstructor(workshopId, secret);
  }

  /** The workshop and everything stored about its learners, gone. */
  async delete(workshopId: string, secret: string | undefined): Promise<void> {
    await this.asInstructor(workshopId, secret);
    await this.store.deleteWorkshop(workshopId);
  }

  /** A new learner by the join code as typed; the resume token exists in the clear only in this answer. */
  async join(typedCode: string, displayName: string): Promise<{ workshop: Workshop; learner: Learner; resumeToken: string }> {
    const code = normalizeJoinCode(typedCode);
    const row = code === undefined ? undefined : await this.store.workshopByJoinCode(code);
    if (!row) throw new WorkshopError('NO_SUCH_WORKSHOP', 'no workshop has this join code');
    const name = checkDisplayName(displayName);
    const resumeToken = newSessionToken();
    const learner: NewLearnerRow = {
      id: newSessionId(),
      workshopId: row.id,
      displayName: name,
      handleBase: handleBase(name),
      tokenHash: hashToken(resumeToken),
      joinedAt: this.now(),
      position: START_POSITION,
    };
    const added = await this.store.addLearner(learner);
    if (!added.ok) throw new WorkshopError(added.refusal, JOIN_REFUSALS[added.refusal]);
    const { handleBase: _, ...rest } = learner;
    return { workshop: publicWorkshop(row), learner: publicLearner({ ...rest, handle: added.handle }), resumeToken };
  }

  /** The learner whose resume token this is; `NO_SUCH_LEARNER` for any other token, in constant time. */
  async asLearner(workshopId: string, learnerId: string, token: string | undefined): Promise<{ workshop: Workshop; learner: Learner }> {
    const [row, workshop] = await Promise.all([this.store.learner(workshopId, learnerId), this.store.workshop(workshopId)]);
    if (!row || !workshop || token === undefined || !tokenMatches(row.tokenHash, token)) {
      throw new WorkshopError('NO_SUCH_LEARNER', 'no such learner in this workshop (or a wrong resume token)');
    }
    return { workshop: publicWorkshop(workshop), learner: publicLearner(row) };
  }

  async report(workshopId: string, learnerId: string, token: string | undefined, report: ProgressReport): Promise<LearnerPosition> {
    const { workshop } = await this.asLearner(workshopId, learnerId, token);
    if (workshop.closedAt !== null) throw new WorkshopError('WORKSHOP_CLOSED', 'the workshop is closed');
    if (!workshop.lessons.includes(report.lesson)) throw new WorkshopError('INVALID_PROGRESS', 'that lesson is not in this workshop');
    if (!Number.isInteger(report.step) || report.step < 0 || report.step > 1000)
      throw new WorkshopError('INVALID_PROGRESS', 'the step must be 0 to 1000');
    const command = report.command ?? null;
    const exitCode = report.exitCode ?? null;
    if ((command === null) !== (exitCode === null)) throw new WorkshopError('INVALID_PROGRESS', 'a command comes with its exit code');
    if (exitCode !== null && (!Number.isInteger(exitCode) || exitCode < 0 || exitCode > 255))
      throw new WorkshopError('INVALID_PROGRESS', 'an exit code is 0 to 255');
    const event: ProgressEvent = {
      lesson: report.lesson,
      step: report.step,
      command: command === null ? null : recordable(command),
      exitCode,
      at: this.now(),
    };
    const added = await this.store.addProgress(learnerId, event, this.maxEvents);
    if (!added.ok) {
      throw added.refusal === 'PROGRESS_LIMIT'
        ? new WorkshopError('PROGRESS_LIMIT', `a learner's progress is kept up to ${this.maxEvents} reports`)
        : new WorkshopError('NO_SUCH_LEARNER', 'no such learner in this workshop (or a wrong resume token)');
    }
    return added.position;
  }

  /** What the instructor reads: the workshop and every learner with their position, in the order they joined. */
  async classOf(workshopId: string, secret: string | undefined): Promise<{ workshop: Workshop; learners: Learner[] }> {
    const workshop = await this.asInstructor(workshopId, secret);
    return { workshop, learners: (await this.store.learners(workshopId)).map(publicLearner) };
  }

  /**
   * A hint from the instructor to one learner of the workshop, or to everyone without `learnerId`;
   * stored before it is sent, so a learner who reconnects gets it again.
   */
  async sendHint(workshopId: string, secret: string | undefined, text: string, learnerId?: string): Promise<Hint & { learnerId: string | null }> {
    await this.asInstructor(workshopId, secret);
    const chars = [...text].length;
    if (text.trim() === '' || chars > MAX_HINT_CHARS || HINT_CONTROL.test(text) || LONE_SURROGATE.test(text)) {
      throw new WorkshopError('INVALID_HINT', `a hint is 1 to ${MAX_HINT_CHARS} characters, without control characters but newlines and tabs`);
    }
    const hint = { id: newSessionId(), text, at: this.now(), toAll: learnerId === undefined };
    const added = await this.store.addHint({ ...hint, workshopId, learnerId: learnerId ?? null }, this.maxHints);
    if (!added.ok) {
      throw new WorkshopError(
        added.refusal,
        added.refusal === 'HINT_LIMIT' ? `a workshop keeps up to ${this.maxHints} hints` : HINT_REFUSALS[added.refusal],
      );
    }
    return { ...hint, learnerId: learnerId ?? null };
  }

  /** Every hint this learner has been sent (to them and to everyone), oldest first; their resume token says who they are. */
  async hintsFor(workshopId: string, learnerId: string, token: string | undefined): Promise<Hint[]> {
    await this.asLearner(workshopId, learnerId, token);
    return this.store.hints(workshopId, learnerId);
  }

  /** The class with every learner's events, for the export. */
  async classWithEvents(
    workshopId: string,
    secret: string | undefined,
  ): Promise<{ workshop: Workshop; learners: { learner: Learner; events: ProgressEvent[] }[] }> {
    const { workshop, learners } = await this.classOf(workshopId, secret);
    const withEvents = [];
    // One learner after another: 300 reads in turn hold one connection, not the pool.
    for (const learner of learners) withEvents.push({ learner, events: await this.store.progress(learner.id) });
    return { workshop, learners: withEvents };
  }

  /** One learner's events, for the instructor (export, the learner's detail). */
  async progressOf(workshopId: string, secret: string | undefined, learnerId: string): Promise<ProgressEvent[]> {
    await this.asInstructor(workshopId, secret);
    if (!(await this.store.learner(workshopId, learnerId))) throw new WorkshopError('NO_SUCH_LEARNER', 'no such learner in this workshop');
    return this.store.progress(learnerId);
  }
}

const JOIN_REFUSALS: Record<JoinRefusal, string> = {
  NO_SUCH_WORKSHOP: 'no workshop has this join code',
  WORKSHOP_FULL: 'the workshop has as many learners as it takes',
  JOINING_PAUSED: 'the instructor has paused joining',
  WORKSHOP_CLOSED: 'the workshop is closed',
};

const HINT_REFUSALS: Record<HintRefusal, string> = {
  NO_SUCH_WORKSHOP: 'no such workshop',
  NO_SUCH_LEARNER: 'no such learner in this workshop',
  HINT_LIMIT: 'a workshop keeps no more hints',
};

/**
 * A command as the learner sent it — control characters and all, the dashboard shows it as text —
 * but NUL (which PostgreSQL's text refuses) shown as U+2400 and cut at `MAX_RECORDED_COMMAND_CHARS`.
 */
function recordable(command: string): string {
  const chars = [...command.replaceAll('\u0000', '\u2400').replace(new RegExp(LONE_SURROGATE.source, 'g'), '\ufffd')];
  return chars.length > MAX_RECORDED_COMMAND_CHARS ? `${chars.slice(0, MAX_RECORDED_COMMAND_CHARS).join('')}…` : chars.join('');
}

function publicWorkshop(row: WorkshopRow): Workshop {
  const { secretHash: _, ...workshop } = row;
  return workshop;
}

function publicLearner(row: LearnerRow): Learner {
  const { tokenHash: _, ...learner } = row;
  return learner;
}
