import { describe, expect, it } from 'vitest';
import { csvCell, exportRow, toCsv } from '../../sandbox-server/workshops/workshop-export.js';
import { START_POSITION, type Learner } from '../../sandbox-server/workshops/workshop-types.js';
import { parseCsv } from './workshop-csv-reader.js';

const learner = (displayName: string, lastCommand: string | null): Learner => ({
  id: 'l',
  workshopId: 'w',
  displayName,
  handle: 'learner-1',
  joinedAt: Date.UTC(2026, 11, 5, 9, 0),
  position: {
    ...START_POSITION,
    lesson: '01-hello',
    step: 2,
    stepSince: 5,
    commands: 3,
    failedCommands: 1,
    lastCommand,
    lastExitCode: 1,
    lastAt: Date.UTC(2026, 11, 5, 9, 30),
  },
});

describe('the workshop export', () => {
  it('makes every cell a spreadsheet could run as a formula text, and quotes what RFC 4180 says to', () => {
    for (const [value, cell] of [
      ['=1+1', "'=1+1"],
      ['+SUM(A1)', "'+SUM(A1)"],
      ['-2', "'-2"],
      ['@cmd', "'@cmd"],
      ['\t=1', "'\t=1"],
      ['\r=1', `"'\r=1"`],
      ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
      ['a,b', '"a,b"'],
      ['line\nbreak', '"line\nbreak"'],
      ['plain 김도커', 'plain 김도커'],
      ['a=b', 'a=b'],
    ] as const) {
      expect(csvCell(value)).toBe(cell);
    }
    expect([csvCell(null), csvCell(0), csvCell(12)]).toEqual(['', '0', '12']);
  });

  it('writes one CRLF record per learner under the header, hostile names and commands read back as the text they were', () => {
    const hostile = [
      learner("=cmd|' /C calc'!A0", 'echo "a,b"\r\n=2'),
      learner('<img src=x onerror=alert(1)>', '@SUM(1)'),
      learner('김도커 🐳', null),
    ];
    const csv = toCsv(hostile.map((l, i) => exportRow(l, [], i === 0)));
    const records = parseCsv(csv);
    expect(records[0]).toEqual([
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
    ]);
    expect(records.slice(1)).toEqual([
      ["'=cmd|' /C calc'!A0", '01-hello', '2', '0', '3', '1', `echo "a,b"\r\n=2`, '2026-12-05T09:00:00.000Z', '2026-12-05T09:30:00.000Z', 'sandbox'],
      [
        '<img src=x onerror=alert(1)>',
        '01-hello',
        '2',
        '0',
        '3',
        '1',
        "'@SUM(1)",
        '2026-12-05T09:00:00.000Z',
        '2026-12-05T09:30:00.000Z',
        'simulator',
      ],
      ['김도커 🐳', '01-hello', '2', '0', '3', '1', '', '2026-12-05T09:00:00.000Z', '2026-12-05T09:30:00.000Z', 'simulator'],
    ]);
    // No record starts a cell with a formula character, whatever it holds.
    for (const record of records) for (const cell of record) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('counts the steps a learner reached and left, each once, not the one they are on', () => {
    const events = [
      { lesson: '01-hello', step: 0, command: null, exitCode: null, at: 1 },
      { lesson: '01-hello', step: 1, command: 'ls', exitCode: 0, at: 2 },
      { lesson: '01-hello', step: 0, command: null, exitCode: null, at: 3 },
      { lesson: '01-hello', step: 1, command: null, exitCode: null, at: 4 },
      { lesson: '01-hello', step: 2, command: null, exitCode: null, at: 5 },
    ];
    expect(exportRow(learner('a', null), events, false).stepsDone).toBe(2);
    expect(exportRow({ ...learner('a', null), position: START_POSITION }, [], false)).toMatchObject({ stepsDone: 0, lesson: null, lastSeenAt: null });
  });
});
