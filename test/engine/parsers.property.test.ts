import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CommandLineError } from '../../src/engine/cli/command-line-errors.js';
import { builtinCommands, commandTable } from '../../src/engine/cli/commands/index.js';
import { parseCommandLine } from '../../src/engine/cli/parse-command.js';
import { tokenize } from '../../src/engine/cli/tokenize.js';
import { parseDockerfile } from '../../src/engine/builder/dockerfile.js';
import { BuildError } from '../../src/engine/builder/build-errors.js';
import { parse as parseShell, ShSyntaxError } from '../../src/sim/shell/parser.js';
import { createSimEngine } from '../../src/sim/create-sim-engine.js';
import { FakeClock } from './support/fake-clock.js';
import { seeded } from './support/sim-engine.js';

/**
 * Random input to each parser a learner reaches: a clear, typed refusal or a result —
 * never another exception, and never slow (a parse that blows up on its input would
 * stall the session's event loop). Run counts are bounded so the suite stays fast.
 */
const RUNS = { numRuns: 300, seed: 20261204 };
// Generous for a shared CI machine; a parse that is super-linear on its input goes far past it.
const SLOW_MS = 1000;
/** Any text: control characters and NUL (binary-ascii) and Unicode beyond ASCII (grapheme). */
const anyText = (maxLength: number) => fc.oneof(fc.string({ unit: 'binary-ascii', maxLength }), fc.string({ unit: 'grapheme', maxLength }));

/** Calls `parse`; any throw other than `expected` fails, and so does a slow parse. */
function refusesClearly(parse: () => unknown, expected: (err: unknown) => boolean): void {
  const started = performance.now();
  try {
    parse();
  } catch (err) {
    if (!expected(err)) throw err;
  }
  expect(performance.now() - started).toBeLessThan(SLOW_MS);
}

const table = commandTable(builtinCommands);
const dockerWord = fc.oneof(
  fc.constantFrom(
    'docker',
    'run',
    'create',
    'container',
    'image',
    'build',
    'ps',
    'rm',
    'exec',
    'start',
    'help',
    'system',
    'df',
    'inspect',
    'busybox',
    'sh',
    'echo',
  ),
  fc.constantFrom(
    '-d',
    '-it',
    '-e',
    '--name',
    '--name=x',
    '-m',
    '64m',
    '--rm',
    '--',
    '-',
    '--help',
    '-f',
    '{{.ID}}',
    '--memory=1',
    '-eA=1',
    '-q',
    '--no-cache',
  ),
  fc.string({ maxLength: 8 }),
);
/** Backslash before every character a shell would split on or interpret. */
const bare = (text: string) => text.replace(/[\s'"\\$`]/g, '\\$&');
/** A word as a shell may quote it: bare, single- or double-quoted, or with quotes in the middle. */
const quoted = (word: string) =>
  fc.constantFrom(`'${word.replaceAll("'", `'\\''`)}'`, `"${word.replace(/["\\$`]/g, '\\$&')}"`, `${bare(word.slice(0, 1))}""${bare(word.slice(1))}`);

describe('the docker command line parse', () => {
  it('refuses any string with a CommandLineError or parses it', () => {
    fc.assert(
      fc.property(anyText(200), (line) =>
        refusesClearly(
          () => parseCommandLine(line, table),
          (e) => e instanceof CommandLineError,
        ),
      ),
      RUNS,
    );
  });

  it('refuses any docker-shaped line with a CommandLineError or parses it', () => {
    fc.assert(
      fc.property(fc.array(dockerWord, { maxLength: 12 }), (words) =>
        refusesClearly(
          () => parseCommandLine(`docker ${words.join(' ')}`, table),
          (e) => e instanceof CommandLineError,
        ),
      ),
      RUNS,
    );
  });

  it('gives back the words of any quoted word list, so quoting never changes a command', () => {
    fc.assert(
      fc.property(
        fc
          .array(
            fc.string({ minLength: 1, maxLength: 10 }).filter((w) => !w.includes('\0')),
            { minLength: 1, maxLength: 8 },
          )
          .chain((words) => fc.tuple(fc.constant(words), fc.tuple(...words.map(quoted)))),
        ([words, quotedWords]) => {
          expect(tokenize(quotedWords.join(' '))).toEqual(words);
        },
      ),
      RUNS,
    );
  });

  it('finds the same command (and the same limit) however the command words are quoted', () => {
    const lines = fc.constantFrom(
      'docker run -d busybox',
      'docker container create busybox',
      'docker build .',
      'docker image build -q .',
      'docker ps -a',
    );
    fc.assert(
      fc.property(
        lines.chain((line) => fc.tuple(fc.constant(line), fc.tuple(...line.split(' ').map(quoted)))),
        ([line, quotedWords]) => {
          const plain = parseCommandLine(line, table);
          const other = parseCommandLine(quotedWords.join(' '), table);
          expect(other.kind === 'command' && [other.command.path, other.command.limit]).toEqual(
            plain.kind === 'command' && [plain.command.path, plain.command.limit],
          );
        },
      ),
      RUNS,
    );
  });

  it('runs any docker-shaped line on the simulator to an exit code, never a rejection', async () => {
    const clock = new FakeClock();
    const engine = await createSimEngine({ clock, random: seeded(), limits: { maxContainers: 5, maxConcurrentBuilds: 1 } });
    // Commands that wait on a container forever (`wait`, `logs -f`, `start -a`) are left out: a hang is not the parser's.
    const word = fc.oneof(
      fc.constantFrom(
        'run',
        'create',
        'container',
        'image',
        'ps',
        'rm',
        '-f',
        'stop',
        'inspect',
        'images',
        'rmi',
        'tag',
        'history',
        'diff',
        'commit',
        'system',
        'df',
        'busybox',
        'true',
        'echo',
        'ls',
        'x',
      ),
      fc.constantFrom('-d', '-e', '--name', 'web', '-m', '1', '-a', '-q', '--rm', '--', '--help', '-t', '{{.ID}}'),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(word, { maxLength: 8 }), async (words) => {
        const result = await clock.settle(engine.exec(`docker ${words.join(' ')}`));
        expect(Number.isInteger(result.exitCode)).toBe(true);
        if (result.error) expect(result.error.code).toMatch(/^[A-Z_]+$/);
      }),
      { numRuns: 120, seed: 20261204 },
    );
    await engine.dispose();
  });
});

describe("the simulator's shell parser", () => {
  const shellWord = fc.constantFrom(
    'echo',
    'a',
    '"b c"',
    "'d'",
    '$x',
    '${x:-y}',
    '$(ls)',
    '`id`',
    '|',
    '||',
    '&&',
    ';',
    '&',
    '>',
    '>>',
    '<',
    '2>&1',
    '<<EOF',
    '(',
    ')',
    '{',
    '}',
    'if',
    'then',
    'else',
    'fi',
    'for',
    'in',
    'do',
    'done',
    'while',
    'case',
    'esac',
    ';;',
    '\n',
    '#',
    '\\',
    '"',
    "'",
  );
  it('refuses any string with a ShSyntaxError or parses it', () => {
    fc.assert(
      fc.property(anyText(200), (src) =>
        refusesClearly(
          () => parseShell(src),
          (e) => e instanceof ShSyntaxError,
        ),
      ),
      RUNS,
    );
  });
  it('refuses any shell-shaped token soup with a ShSyntaxError or parses it', () => {
    fc.assert(
      fc.property(fc.array(shellWord, { maxLength: 30 }), (words) =>
        refusesClearly(
          () => parseShell(words.join(' ')),
          (e) => e instanceof ShSyntaxError,
        ),
      ),
      RUNS,
    );
  });
});

describe('the Dockerfile parser', () => {
  const instruction = fc.constantFrom(
    'FROM busybox',
    'FROM scratch AS a',
    'FROM a',
    'RUN echo hi',
    'RUN ["sh", "-c"',
    'CMD ["x"]',
    'COPY a b',
    'COPY --from=a / /',
    'ADD x.tar /',
    'ENV A=1 B',
    'ARG X',
    'LABEL',
    'WORKDIR',
    'USER 0',
    'EXPOSE 80/udp',
    'HEALTHCHECK NONE',
    'ONBUILD RUN x',
    '# escape=`',
    '# syntax=x',
    '\\',
    'NOPE x',
    'FROM',
  );
  const isBuildError = (e: unknown) => e instanceof BuildError;
  it('refuses any string with a BuildError or parses it', () => {
    fc.assert(
      fc.property(anyText(300), (src) => refusesClearly(() => parseDockerfile(src), isBuildError)),
      RUNS,
    );
  });
  it('refuses any instruction soup with a BuildError or parses it', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(instruction, fc.constantFrom('\n', '\r\n', ' \\\n', '\n\n')), { maxLength: 15 }), (lines) =>
        refusesClearly(() => parseDockerfile(lines.map(([l, end]) => l + end).join('')), isBuildError),
      ),
      RUNS,
    );
  });
});
