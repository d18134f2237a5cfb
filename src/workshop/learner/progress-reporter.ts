import { WorkshopApiError, type ProgressReport } from '../workshop-api.js';

/** Reports waiting while the server is away (a restart): a 2-hour class's worth of a learner's typing is far less. */
export const MAX_WAITING_REPORTS = 500;
/** The route's cap on a command line (workshops.routes.ts). */
export const COMMAND_CAP_CHARS = 8192;

export interface ProgressReporterOptions {
  send(report: ProgressReport): Promise<unknown>;
  /** The server refused for good (closed workshop, revoked learner): nothing more is sent. */
  onRefused(code: string): void;
  minDelayMs?: number;
  maxDelayMs?: number;
}

/** Refusals that say this learner's reports will never be taken again. */
const FINAL = new Set(['WORKSHOP_CLOSED', 'NO_SUCH_WORKSHOP', 'NO_SUCH_LEARNER', 'PROGRESS_LIMIT', 'UNAUTHORIZED', 'WRONG_TOKEN']);

/**
 * The learner's progress, sent one report at a time in the order it happened (the server folds
 * them in order: `advancePosition`). A report the server could not take because it was down is
 * sent again with backoff, so a restart mid-class loses none; a report it refused is dropped.
 */
export class ProgressReporter {
  private readonly waiting: ProgressReport[] = [];
  private sending = false;
  private stopped = false;
  private delay: number;

  constructor(private readonly options: ProgressReporterOptions) {
    this.delay = options.minDelayMs ?? 500;
  }

  report(report: ProgressReport): void {
    if (this.stopped) return;
    const capped = report.command === undefined ? report : { ...report, command: report.command.slice(0, COMMAND_CAP_CHARS) };
    this.waiting.push(capped);
    // The oldest go first when the server has been away too long: where the learner is now matters more.
    if (this.waiting.length > MAX_WAITING_REPORTS) this.waiting.splice(0, this.waiting.length - MAX_WAITING_REPORTS);
    void this.drain();
  }

  /** Resolves once every report so far has been taken or dropped (tests). */
  async idle(): Promise<void> {
    while (this.sending || (this.waiting.length > 0 && !this.stopped)) await new Promise((r) => setTimeout(r, 20));
  }

  stop(): void {
    this.stopped = true;
    this.waiting.length = 0;
  }

  private async drain(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      while (this.waiting.length > 0 && !this.stopped) {
        try {
          await this.options.send(this.waiting[0]!);
          this.waiting.shift();
          this.delay = this.options.minDelayMs ?? 500;
        } catch (error) {
          const code = error instanceof WorkshopApiError ? error.code : 'UNREACHABLE';
          const status = error instanceof WorkshopApiError ? error.status : 0;
          if (FINAL.has(code)) {
            this.stop();
            this.options.onRefused(code);
            return;
          }
          // Any other refusal is about this report alone; no answer (or a 5xx) is the server away: wait and send it again.
          if (status >= 400 && status < 500 && code !== 'RATE_LIMITED') {
            this.waiting.shift();
            continue;
          }
          await new Promise((r) => setTimeout(r, this.delay));
          this.delay = Math.min(this.options.maxDelayMs ?? 15_000, this.delay * 2);
        }
      }
    } finally {
      this.sending = false;
    }
  }
}
