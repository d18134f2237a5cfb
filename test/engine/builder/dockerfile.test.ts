import { describe, expect, it } from 'vitest';
import { parseDockerfile } from '../../../src/engine/builder/dockerfile.js';
import { DockerfileParseError } from '../../../src/engine/builder/build-errors.js';

function parseError(source: string): DockerfileParseError {
  try {
    parseDockerfile(source);
  } catch (err) {
    if (err instanceof DockerfileParseError) return err;
    throw err;
  }
  throw new Error('expected a parse error');
}

describe('parseDockerfile', () => {
  it('splits stages and reads every instruction form', () => {
    const df = parseDockerfile(
      [
        'ARG BASE=busybox',
        'FROM ${BASE} AS builder',
        'RUN echo one \\',
        '  two',
        'RUN ["echo", "a b"]',
        'COPY --chown=1:2 --from=builder a b /c/',
        'ENV A=1 B="two words"',
        'ENV OLD old style',
        'LABEL a=b',
        'WORKDIR app',
        'EXPOSE 80 53/udp',
        'VOLUME ["/data"]',
        'SHELL ["/bin/sh", "-ec"]',
        'CMD ["cat", "/copy"]',
        'ENTRYPOINT echo hi',
        'FROM scratch',
        'COPY --from=builder /x /x',
      ].join('\n'),
    );
    expect(df.metaArgs).toHaveLength(1);
    expect(df.stages.map((s) => [s.name, s.from.image, s.steps.length])).toEqual([
      ['builder', '${BASE}', 12],
      [undefined, 'scratch', 1],
    ]);
    const [run1, run2, copy, env1, env2] = df.stages[0]!.steps;
    expect(run1).toMatchObject({ kind: 'RUN', form: 'shell', command: 'echo one   two', line: 3, endLine: 4, text: 'RUN echo one   two' });
    expect(run2).toMatchObject({ kind: 'RUN', form: 'exec', args: ['echo', 'a b'] });
    expect(copy).toMatchObject({ kind: 'COPY', sources: ['a', 'b'], dest: '/c/', from: 'builder', chown: '1:2', json: false });
    expect(env1).toMatchObject({
      kind: 'ENV',
      pairs: [
        ['A', '1'],
        ['B', '"two words"'],
      ],
    });
    expect(env2).toMatchObject({ kind: 'ENV', pairs: [['OLD', 'old style']] });
    const last = df.stages[0]!.steps.slice(-5);
    expect(last.map((s) => s.kind)).toEqual(['EXPOSE', 'VOLUME', 'SHELL', 'CMD', 'ENTRYPOINT']);
    expect(last[2]).toMatchObject({ args: ['/bin/sh', '-ec'] });
    expect(last[3]).toMatchObject({ form: 'exec', args: ['cat', '/copy'], text: 'CMD ["cat", "/copy"]' });
    expect(last[4]).toMatchObject({ form: 'shell', command: 'echo hi' });
  });

  it("reports Docker's parse errors with line and column", () => {
    expect(parseError('FROM busybox\n  FOO bar\n')).toMatchObject({
      message: 'dockerfile parse error on line 2: unknown instruction: FOO',
      line: 2,
      column: 3,
    });
    expect(parseError('RUN echo\n').message).toBe('dockerfile parse error on line 1: no build stage in current context');
    expect(parseError('FROM busybox\nRUN\n').message).toBe('dockerfile parse error on line 2: RUN requires at least one argument');
    expect(parseError('FROM busybox\nCOPY a\n').message).toBe('dockerfile parse error on line 2: COPY requires at least two arguments');
    expect(parseError('FROM a b\n').message).toBe('dockerfile parse error on line 1: FROM requires either one or three arguments');
    expect(parseError('# just a comment\n').message).toBe('dockerfile parse error on line 1: file with no instructions');
    expect(parseError('FROM busybox\nSHELL sh -c\n').message).toBe(
      'dockerfile parse error on line 2: SHELL requires the arguments to be in JSON form',
    );
    expect(parseError('FROM busybox AS a\nFROM busybox AS A\n').message).toBe('dockerfile parse error on line 2: duplicate stage name "a"');
  });

  // Where dockerfile-ast read these otherwise, we follow Docker (dockerfile-parser.oracle.test.ts).
  it('declares each word of ARG, as Docker does', () => {
    const df = parseDockerfile('ARG A B=2 C\nFROM busybox\n');
    expect(df.metaArgs[0]!.args).toEqual([{ name: 'A' }, { name: 'B', rawDefault: '2' }, { name: 'C' }]);
  });

  it('drops an escape that ends the file, and the comment lines of a continuation', () => {
    const df = parseDockerfile('FROM busybox\nRUN echo \\\n  # note\n\n  hi \\');
    expect(df.stages[0]!.steps[0]).toMatchObject({ command: 'echo    hi', line: 2, endLine: 5 });
    const crlf = parseDockerfile('# escape=`\r\nFROM busybox\r\nLABEL a=1 `\r\n  b="2 3"\r\n');
    expect(crlf.stages[0]!.steps[0]).toMatchObject({
      kind: 'LABEL',
      pairs: [
        ['a', '1'],
        ['b', '"2 3"'],
      ],
      endLine: 4,
    });
  });

  it('reads a heredoc body into its RUN', () => {
    const df = parseDockerfile('FROM busybox\nRUN <<EOF\necho hi\nEOF\nCMD ["sh"]\n');
    expect(df.stages[0]!.steps.map((s) => [s.kind, s.line, s.endLine])).toEqual([
      ['RUN', 2, 4],
      ['CMD', 5, 5],
    ]);
  });

  it('reads a long run of blanks, or a long first comment, in linear time', () => {
    const started = performance.now();
    expect(parseDockerfile(`# ${'a'.repeat(100_000)}\nFROM busybox\nENV A="${' '.repeat(100_000)}x\n`).stages).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('keeps a malformed JSON array as the shell form, as Docker does', () => {
    const df = parseDockerfile('FROM busybox\nCMD [not json]\n');
    expect(df.stages[0]!.steps[0]).toMatchObject({ kind: 'CMD', form: 'shell', command: '[not json]' });
  });
});
