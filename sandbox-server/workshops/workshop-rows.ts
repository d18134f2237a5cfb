import type { LearnerRow, WorkshopRow } from './workshop-store.js';
import type { Hint, LearnerPosition, ProgressEvent } from './workshop-types.js';

/**
 * Both stores' rows as read, into the interface's: SQLite gives JSON as text, integers as
 * numbers and blobs as Buffers; pg gives JSONB parsed and BIGINT as a string (it exceeds 2^53
 * in general; epoch ms do not).
 */
type Cell = string | number | boolean | Buffer | null | unknown[] | Record<string, unknown>;
type DbRow = Record<string, Cell>;

const json = (cell: Cell): unknown => (typeof cell === 'string' ? JSON.parse(cell) : cell);
const num = (cell: Cell): number => Number(cell);
const numOrNull = (cell: Cell): number | null => (cell === null || cell === undefined ? null : Number(cell));
const strOrNull = (cell: Cell): string | null => (cell === null || cell === undefined ? null : String(cell));

export function workshopFromRow(row: DbRow): WorkshopRow {
  return {
    id: String(row.id),
    title: String(row.title),
    lessons: json(row.lessons!) as string[],
    maxLearners: num(row.max_learners!),
    learnerLimits: json(row.learner_limits!) as WorkshopRow['learnerLimits'],
    joinCode: String(row.join_code),
    secretHash: row.secret_hash as Buffer,
    joinPaused: Boolean(row.join_paused),
    stuckSettings: {
      slowFactor: num(row.stuck_slow_factor!),
      slowFloorMs: num(row.stuck_slow_floor_ms!),
      failingCommands: num(row.stuck_failing_commands!),
    },
    closedAt: numOrNull(row.closed_at!),
    sharedRegistry: Boolean(row.shared_registry),
    createdAt: num(row.created_at!),
  };
}

export function positionFromRow(row: DbRow): LearnerPosition {
  return {
    lesson: strOrNull(row.lesson!),
    step: numOrNull(row.step!),
    stepSince: numOrNull(row.step_since!),
    commands: num(row.commands!),
    failedCommands: num(row.failed_commands!),
    lastCommand: strOrNull(row.last_command!),
    lastExitCode: numOrNull(row.last_exit_code!),
    lastAt: numOrNull(row.last_at!),
  };
}

export function learnerFromRow(row: DbRow): LearnerRow {
  return {
    id: String(row.id),
    workshopId: String(row.workshop_id),
    displayName: String(row.display_name),
    handle: String(row.handle),
    tokenHash: row.token_hash as Buffer,
    joinedAt: num(row.joined_at!),
    position: positionFromRow(row),
  };
}

export function eventFromRow(row: DbRow): ProgressEvent {
  return {
    lesson: String(row.lesson),
    step: num(row.step!),
    command: strOrNull(row.command!),
    exitCode: numOrNull(row.exit_code!),
    at: num(row.at!),
  };
}

export function hintFromRow(row: DbRow): Hint {
  return { id: String(row.id), text: String(row.text), at: num(row.at!), toAll: row.learner_id === null || row.learner_id === undefined };
}

/** The learner columns a position sets, in this order: the parameters of both stores' UPDATE. */
export function positionParams(p: LearnerPosition): (string | number | null)[] {
  return [p.lesson, p.step, p.stepSince, p.commands, p.failedCommands, p.lastCommand, p.lastExitCode, p.lastAt];
}
