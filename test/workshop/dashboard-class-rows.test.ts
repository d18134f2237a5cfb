import { describe, expect, it } from 'vitest';
import { compareRows, formatDuration, rowMatches, toRow, type LearnerRow, type WireLearner } from '../../src/workshop/dashboard/class-rows.js';
import { parseInstructorFragment } from '../../src/workshop/dashboard/instructor-link.js';
import { toStepHistogram } from '../../src/workshop/dashboard/step-histogram.view-model.js';

function aLearner(id: string, over: Partial<WireLearner['position']> = {}, extra: Partial<WireLearner> = {}): WireLearner {
  return {
    id,
    displayName: id,
    position: {
      lesson: null,
      step: null,
      stepSince: null,
      commands: 0,
      failedCommands: 0,
      lastCommand: null,
      lastExitCode: null,
      lastAt: null,
      ...over,
    },
    ...extra,
  };
}

const lessons = new Map([
  ['04-layers', 0],
  ['05-images', 1],
]);
const sorted = (rows: LearnerRow[], key: Parameters<typeof compareRows>[0]['key'], descending = false) =>
  [...rows].sort(compareRows({ key, descending }, lessons)).map((r) => r.id);

describe('the dashboard class rows', () => {
  it("takes the live socket's stuck flag and step start over the stored position's", () => {
    const row = toRow(aLearner('a', { lesson: '04-layers', step: 1, stepSince: 10 }, { stuck: 'failing', stepSinceMs: 20, sandbox: true }));
    expect(row).toMatchObject({ lesson: '04-layers', step: 1, stepSince: 20, stuck: 'failing', backend: 'sandbox' });
    expect(toRow(aLearner('b')).backend).toBe('simulator');
  });

  it('sorts by place in the workshop (lesson order, then step; not started first), by time on step and by stuck', () => {
    const rows = [
      toRow(aLearner('late', { lesson: '05-images', step: 0, stepSince: 300 })),
      toRow(aLearner('early', { lesson: '04-layers', step: 2, stepSince: 100 })),
      toRow(aLearner('none')),
      toRow(aLearner('stuck', { lesson: '04-layers', step: 0, stepSince: 200 }, { stuck: 'slow' })),
      toRow(aLearner('failing', { lesson: '04-layers', step: 0, stepSince: 250 }, { stuck: 'failing' })),
    ];
    expect(sorted(rows, 'place')).toEqual(['none', 'failing', 'stuck', 'early', 'late']);
    // Shortest time on the step first (not started: none), longest first when reversed.
    expect(sorted(rows, 'time')).toEqual(['none', 'late', 'failing', 'stuck', 'early']);
    expect(sorted(rows, 'time', true)[0]).toBe('early');
    expect(sorted(rows, 'stuck', true).slice(0, 2)).toEqual(['failing', 'stuck']);
  });

  it('filters by name, last command or lesson title, in any case, and by stuck', () => {
    const row = toRow(aLearner('Ada', { lesson: '04-layers', step: 0, lastCommand: 'docker images' }, { stuck: null }));
    const title = (l: string | null) => (l === '04-layers' ? 'Layers' : '');
    expect(rowMatches(row, { text: 'ada', stuckOnly: false }, title)).toBe(true);
    expect(rowMatches(row, { text: 'IMAGES', stuckOnly: false }, title)).toBe(true);
    expect(rowMatches(row, { text: 'layers', stuckOnly: false }, title)).toBe(true);
    expect(rowMatches(row, { text: 'bob', stuckOnly: false }, title)).toBe(false);
    expect(rowMatches(row, { text: '', stuckOnly: true }, title)).toBe(false);
  });

  it('words time on a step as a clock', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(65_400)).toBe('1:05');
    expect(formatDuration(3_723_000)).toBe('1:02:03');
    expect(formatDuration(-5)).toBe('0:00');
  });

  it('reads the instructor link fragment, and nothing else', () => {
    expect(parseInstructorFragment('#workshop=w1&secret=s2')).toEqual({ workshopId: 'w1', secret: 's2' });
    expect(parseInstructorFragment('#join=ABCD-EFGH')).toBeNull();
    expect(parseInstructorFragment('')).toBeNull();
  });

  it("bins the class by the workshop's steps in order, empty steps kept, unknown steps after their lesson", () => {
    const catalog = { '04-layers': { title: 'Layers', steps: ['a', 'b'] }, '05-images': { title: 'Images', steps: ['c'] } };
    const rows = [
      toRow(aLearner('a', { lesson: '05-images', step: 0 })),
      toRow(aLearner('b', { lesson: '05-images', step: 0 }, { stuck: 'slow' })),
      toRow(aLearner('c', { lesson: '04-layers', step: 7 })),
      toRow(aLearner('d')),
    ];
    const histogram = toStepHistogram(rows, ['04-layers', '05-images'], catalog);
    expect(histogram.bins.map((b) => [b.key, b.count, b.stuck])).toEqual([
      ['start', 1, 0],
      ['04-layers/0', 0, 0],
      ['04-layers/1', 0, 0],
      ['04-layers/7', 1, 0],
      ['05-images/0', 2, 1],
    ]);
    expect(histogram.max).toBe(2);
  });
});
