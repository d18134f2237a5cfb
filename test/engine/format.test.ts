import { describe, expect, it } from 'vitest';
import { humanSize, tableSize, bytesSize } from '../../src/engine/format/size.js';
import { humanDuration } from '../../src/engine/format/duration.js';
import { table } from '../../src/engine/format/table.js';
import { renderTemplate } from '../../src/engine/format/go-template.js';
import { goJson, goTime } from '../../src/engine/format/go-json.js';
import { generateName } from '../../src/engine/names.js';

describe("Docker's sizes (go-units)", () => {
  it('prints decimal units with three significant digits in tables', () => {
    expect(tableSize(0)).toBe('0B');
    expect(tableSize(2)).toBe('2B');
    expect(tableSize(999)).toBe('999B');
    expect(tableSize(1000)).toBe('1kB');
    expect(tableSize(1_240_000)).toBe('1.24MB');
    expect(tableSize(4_261_015)).toBe('4.26MB');
    expect(tableSize(135_000)).toBe('135kB');
  });
  it('prints four significant digits for HumanSize and binary units for BytesSize', () => {
    expect(humanSize(4_261_015)).toBe('4.261MB');
    expect(bytesSize(2 * 1024 ** 3)).toBe('2GiB');
    expect(bytesSize(1_500_000_000)).toBe('1.397GiB');
  });
});

describe("Docker's durations (go-units HumanDuration)", () => {
  it.each([
    [500, 'Less than a second'],
    [1000, '1 second'],
    [59_000, '59 seconds'],
    [60_000, 'About a minute'],
    [45 * 60_000, '45 minutes'],
    [3_600_000, 'About an hour'],
    [47 * 3_600_000, '47 hours'],
    [3 * 86_400_000, '3 days'],
    [20 * 86_400_000, '2 weeks'],
    [90 * 86_400_000, '3 months'],
    [800 * 86_400_000, '2 years'],
  ])('%i ms is %s', (ms, text) => expect(humanDuration(ms)).toBe(text));
});

describe('tables (tabwriter, minwidth 10, padding 3)', () => {
  it('pads every column but the last', () => {
    expect(table([['REPOSITORY', 'TAG', 'IMAGE ID'], ['busybox', 'latest', 'abc']])).toMatchInlineSnapshot(`
      "REPOSITORY   TAG       IMAGE ID
      busybox      latest    abc
      "
    `);
  });
});

describe('Go templates', () => {
  const data = { State: { Status: 'running', Running: true }, Args: ['-c', 'x'], Config: { Env: ['A=1'], Labels: {} } };
  it('reads fields, prints slices and JSON as Go does', () => {
    expect(renderTemplate('{{.State.Status}} {{.State.Running}}', data)).toBe('running true');
    expect(renderTemplate('{{.Args}}', data)).toBe('[-c x]');
    expect(renderTemplate('{{json .Config}}', data)).toBe('{"Env":["A=1"],"Labels":{}}');
    expect(renderTemplate('{{.Nope}}', data)).toBe('<no value>');
    expect(renderTemplate('{{join .Args ","}}', data)).toBe('-c,x');
  });
});

describe('Go JSON', () => {
  it('escapes HTML characters and drops trailing zeros from times', () => {
    expect(goJson({ a: '<b>&' })).toBe('{"a":"\\u003cb\\u003e\\u0026"}');
    expect(goTime(Date.parse('2025-06-01T12:00:00.120Z'))).toBe('2025-06-01T12:00:00.12Z');
    expect(goTime(Date.parse('2025-06-01T12:00:00Z'))).toBe('2025-06-01T12:00:00Z');
  });
});

describe('generated names', () => {
  it('are adjective_surname and skip taken ones', () => {
    const name = generateName(() => 0.5);
    expect(name).toMatch(/^[a-z]+_[a-z]+$/);
    const other = generateName(() => 0.5, (n) => n === name);
    expect(other).not.toBe(name);
  });
});
