import { describe, expect, it } from 'vitest';
import { ProgressReporter } from '../../src/workshop/learner/progress-reporter.js';
import { capUtf8 } from '../../src/workshop/learner/reporting-engine.js';
import { WorkshopApiError, type ProgressReport } from '../../src/workshop/workshop-api.js';

/** A progress route that answers as told: down (no answer) for the first `downFor` calls, then each report by `answer`. */
function route(downFor: number, answer: (r: ProgressReport) => WorkshopApiError | undefined = () => undefined) {
  const taken: ProgressReport[] = [];
  let calls = 0;
  return {
    taken,
    async send(report: ProgressReport) {
      calls++;
      if (calls <= downFor) throw new WorkshopApiError('no answer', 0, 'UNREACHABLE');
      const refusal = answer(report);
      if (refusal) throw refusal;
      taken.push(report);
    },
  };
}

describe('the learner progress reporter', () => {
  it('sends every report in order, again after the server was away (a restart loses none)', async () => {
    const server = route(3);
    const reporter = new ProgressReporter({ send: (r) => server.send(r), onRefused: () => undefined, minDelayMs: 1, maxDelayMs: 4 });
    reporter.report({ lesson: '06-containers', step: 0 });
    reporter.report({ lesson: '06-containers', step: 0, command: 'docker ps', exitCode: 0 });
    reporter.report({ lesson: '06-containers', step: 1 });
    await reporter.idle();
    expect(server.taken).toEqual([
      { lesson: '06-containers', step: 0 },
      { lesson: '06-containers', step: 0, command: 'docker ps', exitCode: 0 },
      { lesson: '06-containers', step: 1 },
    ]);
  });

  it('drops a report the server refused, stops for good on a closed workshop', async () => {
    const refusals: string[] = [];
    const server = route(0, (r) =>
      r.step === 99
        ? new WorkshopApiError('bad', 400, 'INVALID_PROGRESS')
        : r.command === 'late'
          ? new WorkshopApiError('closed', 410, 'WORKSHOP_CLOSED')
          : undefined,
    );
    const reporter = new ProgressReporter({ send: (r) => server.send(r), onRefused: (c) => refusals.push(c), minDelayMs: 1 });
    reporter.report({ lesson: 'a', step: 99 });
    reporter.report({ lesson: 'a', step: 1 });
    reporter.report({ lesson: 'a', step: 1, command: 'late', exitCode: 0 });
    reporter.report({ lesson: 'a', step: 2 });
    await reporter.idle();
    reporter.report({ lesson: 'a', step: 3 });
    await reporter.idle();
    expect(server.taken).toEqual([{ lesson: 'a', step: 1 }]);
    expect(refusals).toEqual(['WORKSHOP_CLOSED']);
  });

  it('cuts a command line to what the route takes', async () => {
    const server = route(0);
    const reporter = new ProgressReporter({ send: (r) => server.send(r), onRefused: () => undefined });
    reporter.report({ lesson: 'a', step: 0, command: `echo ${'x'.repeat(10_000)}`, exitCode: 0 });
    await reporter.idle();
    expect(server.taken[0]!.command).toHaveLength(8192);
  });
});

describe('capUtf8', () => {
  it('cuts by UTF-8 bytes, never inside a character', () => {
    expect(capUtf8('abc', 10)).toBe('abc');
    expect(capUtf8('가나다', 7)).toBe('가나');
    expect(capUtf8('가나다', 6)).toBe('가나');
    expect(capUtf8('a😀', 4)).toBe('a');
  });
});
