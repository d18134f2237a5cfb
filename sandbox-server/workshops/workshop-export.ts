import type { Learner, ProgressEvent } from './workshop-types.js';

/** One learner in the export: where they are, what they ran, and what they run on. */
export interface ExportRow {
  displayName: string;
  lesson: string | null;
  step: number | null;
  /** Steps they reached and moved on from (each lesson and step once, however often revisited). */
  stepsDone: number;
  commands: number;
  failed: number;
  lastCommand: string | null;
  /** ISO 8601, UTC. */
  joinedAt: string;
  lastSeenAt: string | null;
  sandbox: 'sandbox' | 'simulator';
}

export const EXPORT_COLUMNS: readonly (keyof ExportRow)[] = [
  'displayName',
  'lesson',
  'step',
  'stepsDone',
  'commands',
  'failed',
  'lastCommand',
  'joinedAt',
  'lastSeenAt',
  'sandbox',
];

export function exportRow(learner: Learner, events: readonly ProgressEvent[], hasSandbox: boolean): ExportRow {
  const p = learner.position;
  const reached = new Set(events.map((e) => `${e.lesson}\u0000${e.step}`));
  if (p.lesson !== null) reached.delete(`${p.lesson}\u0000${p.step}`);
  return {
    displayName: learner.displayName,
    lesson: p.lesson,
    step: p.step,
    stepsDone: reached.size,
    commands: p.commands,
    failed: p.failedCommands,
    lastCommand: p.lastCommand,
    joinedAt: new Date(learner.joinedAt).toISOString(),
    lastSeenAt: p.lastAt === null ? null : new Date(p.lastAt).toISOString(),
    sandbox: hasSandbox ? 'sandbox' : 'simulator',
  };
}

/**
 * One CSV cell, RFC 4180: quoted when it holds a comma, a quote, CR or LF (quotes doubled).
 * A cell a spreadsheet would read as a formula (= + - @, or a leading tab or CR, which some
 * strip first) gets a leading apostrophe (OWASP's CSV injection advice): a learner's name or
 * command is data, never a formula run on the instructor's machine.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The header and one record per learner, CRLF-terminated as RFC 4180 has it. */
export function toCsv(rows: readonly ExportRow[]): string {
  const lines = [EXPORT_COLUMNS.join(','), ...rows.map((row) => EXPORT_COLUMNS.map((c) => csvCell(row[c])).join(','))];
  return lines.map((line) => `${line}\r\n`).join('');
}
