import { describe, expect, it } from 'vitest';
import { DockerfileParseError } from '../../src/engine/builder/build-errors.js';
import { parseDockerfile } from '../../src/engine/builder/dockerfile.js';

/**
 * A learner's Dockerfile is parsed on the sandbox server (and in the page): shapes built to make a
 * parser backtrack or rescan must cost time in proportion to their size, not its square. Each is
 * about 1 MB; a quadratic reader takes minutes on any of them (the two the reader once had: 15–25 s
 * for 100 KB). The bound is generous for a loaded CI machine and far below quadratic.
 */
const MB = 1_000_000;
const shapes: [string, string][] = [
  ['a continuation of a million blank-ended lines', `FROM busybox\nRUN a \\\n${' \\\n'.repeat(MB / 3)}b\n`],
  ['an unterminated quote in ENV', `FROM busybox\nENV A="${'x '.repeat(MB / 2)}\n`],
  ['escapes everywhere in LABEL', `FROM busybox\nLABEL ${'a\\ '.repeat(MB / 3)}=b\n`],
  ['many heredocs with no terminator', `FROM busybox\nRUN ${'<<A '.repeat(MB / 8)}\n${'B\n'.repeat(MB / 4)}`],
  ['many heredocs each closed at once', `FROM busybox\nRUN ${'<<A '.repeat(20_000)}\n${'A\n'.repeat(20_000)}`],
  ['a flood of flags', `FROM busybox\nCOPY ${'--chmod=1 '.repeat(MB / 10)}a b\n`],
  ['a directive line without its equals sign', `# ${'a b '.repeat(MB / 4)}\nFROM busybox\n`],
  ['a million comment lines inside a continuation', `FROM busybox\nRUN a \\\n${'# c\n'.repeat(MB / 4)}b\n`],
  ['a million instructions', `FROM busybox\n${'ENV a=b\n'.repeat(MB / 8)}`],
];

describe('a hostile Dockerfile', () => {
  it.each(shapes)('is parsed in linear time: %s', (_name, source) => {
    const started = performance.now();
    try {
      parseDockerfile(source);
    } catch (error) {
      // Refused in Docker's words is as good an answer as parsed; anything else is a crash.
      expect(error).toBeInstanceOf(DockerfileParseError);
    }
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
