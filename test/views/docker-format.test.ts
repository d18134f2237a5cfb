import { describe, expect, it } from 'vitest';
import { ellipsis, humanSize, trimCreatedBy } from '../../src/views/docker-format.js';

describe('labels in Docker words', () => {
  it('sizes like `docker history` (three significant digits, decimal units)', () => {
    expect([0, 999, 1234, 1_160_912, 999_600].map(humanSize)).toEqual(['0B', '999B', '1.23kB', '1.16MB', '1e+03kB']);
  });

  it("keeps the learner's instruction of legacy and BuildKit history", () => {
    expect(trimCreatedBy('/bin/sh -c #(nop)  CMD ["sh"]')).toBe('CMD ["sh"]');
    expect(trimCreatedBy('/bin/sh -c #(nop) ADD file:abc in / ')).toBe('ADD file:abc in /');
    expect(trimCreatedBy('RUN /bin/sh -c apk add\tcurl # buildkit')).toBe('RUN /bin/sh -c apk add curl');
    expect(trimCreatedBy('/bin/sh -c echo hi > /x')).toBe('/bin/sh -c echo hi > /x');
  });

  it('cuts like the Docker CLI', () => {
    expect(ellipsis('abcdef', 4)).toBe('abc…');
    expect(ellipsis('abc', 4)).toBe('abc');
  });
});
