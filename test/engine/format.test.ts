import { describe, expect, it } from 'vitest';
import { bytesSize, goFormatG, humanSize, tableSize } from '../../src/engine/format/size.js';
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
  it("rounds as Go's %g does: the exact decimal, half to even, exponent form at 10^precision", () => {
    expect(tableSize(1125)).toBe('1.12kB');
    expect(tableSize(1135)).toBe('1.14kB');
    // 1.0005 is a double a little below the half: it rounds down.
    expect(humanSize(1_000_500)).toBe('1MB');
    expect(tableSize(999_600)).toBe('1e+03kB');
    expect(tableSize(4_260_000_000)).toBe('4.26GB');
    expect(goFormatG(0.00001234, 3)).toBe('1.23e-05');
    expect(goFormatG(0.0001234, 3)).toBe('0.000123');
    expect(goFormatG(12.5, 2)).toBe('12');
    expect(goFormatG(13.5, 2)).toBe('14');
    expect(goFormatG(2.675, 3)).toBe('2.67');
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
    expect(
      table([
        ['REPOSITORY', 'TAG', 'IMAGE ID'],
        ['busybox', 'latest', 'abc'],
      ]),
    ).toMatchInlineSnapshot(`
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
    const other = generateName(
      () => 0.5,
      (n) => n === name,
    );
    expect(other).not.toBe(name);
  });
});
