import { describe, expect, it } from 'vitest';
import { ellipsis, fill, goFormatG, humanSize, trimCreatedBy } from '../../src/views/docker-format.js';

describe('humanSize (go-units, three significant digits)', () => {
  it.each([
    [0, '0B'],
    [999, '999B'],
    [1000, '1kB'],
    [1234, '1.23kB'],
    [1_160_912, '1.16MB'],
    // Go rounds an exact half to even: 1.125 → 1.12.
    [1125, '1.12kB'],
    // Go's %g switches to the exponent form once rounding reaches 10^precision.
    [999_600, '1e+03kB'],
    [4_260_000_000, '4.26GB'],
  ])('%d → %s', (bytes, text) => {
    expect(humanSize(bytes)).toBe(text);
  });

  it("formats like Go's %g for small and four-digit values", () => {
    expect(goFormatG(0.00001234, 3)).toBe('1.23e-05');
    expect(goFormatG(12.5, 2)).toBe('12');
    expect(goFormatG(13.5, 2)).toBe('14');
    expect(humanSize(1_234_567, 4)).toBe('1.235MB');
  });
});

describe('trimCreatedBy', () => {
  it("keeps the learner's instruction of legacy and BuildKit history", () => {
    expect(trimCreatedBy('/bin/sh -c #(nop)  CMD ["sh"]')).toBe('CMD ["sh"]');
    expect(trimCreatedBy('/bin/sh -c #(nop) ADD file:abc in / ')).toBe('ADD file:abc in /');
    expect(trimCreatedBy('RUN /bin/sh -c apk add\tcurl # buildkit')).toBe('RUN /bin/sh -c apk add curl');
    expect(trimCreatedBy('/bin/sh -c echo hi > /x')).toBe('/bin/sh -c echo hi > /x');
  });
});

describe('ellipsis and fill', () => {
  it('cuts like the Docker CLI and fills catalog placeholders', () => {
    expect(ellipsis('abcdef', 4)).toBe('abc…');
    expect(ellipsis('abc', 4)).toBe('abc');
    expect(fill('Layer {id}, {size}', { id: 'abc', size: '1kB' })).toBe('Layer abc, 1kB');
    expect(fill('{missing}', {})).toBe('{missing}');
  });
});
