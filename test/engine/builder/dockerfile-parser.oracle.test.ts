import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DockerfileParseError } from '../../../src/engine/builder/build-errors.js';
import { KNOWN, parseDockerfile } from '../../../src/engine/builder/dockerfile.js';
import { parseDockerfile as parseWithDockerfileAst } from './dockerfile-ast-oracle.js';

/**
 * Our Dockerfile reader against the dockerfile-ast one it replaced: for random Dockerfiles
 * both return the same stages, or fail with the same message, line and column.
 *
 * Left out of the generator, where dockerfile-ast reads a file otherwise than Docker
 * (BuildKit's frontend/dockerfile/parser) and we follow Docker:
 * - a lone `\r`: Docker splits lines at `\n` only (bufio.ScanLines drops a `\r` before it);
 *   dockerfile-ast also breaks a line at a lone `\r`. Only CRLF is generated.
 * - the escape character as the file's very last character: Docker drops it
 *   (trimContinuationCharacter); dockerfile-ast keeps it in RUN's command. A file whose
 *   last line ends with the escape gets a line break.
 * - `ARG a b`: Docker declares two args (parseNameOrNameVal); dockerfile-ast reads the
 *   legacy `ENV name value` form, one arg `a` with the default `b`. ARG's first word
 *   carries an `=` whenever more follow.
 * - an escaped quote in ENV/LABEL/ARG (`a=\"b c`): Docker's parseWords keeps it a plain
 *   character; dockerfile-ast opens a quoted string there. An escape inside single quotes:
 *   Docker's `'…'` escapes nothing; dockerfile-ast skips the character after it. Neither
 *   is generated; nor are quotes or blanks inside `${…}`, where dockerfile-ast alone
 *   scans for the `}`.
 * - a comment line right after a keyword continued by the escape (`RUN\`, `# c`):
 *   Docker skips the comment; dockerfile-ast reads its text as arguments. After a keyword
 *   a continuation follows a blank or has no comment line.
 * - ENV, LABEL or ARG whose first word starts with the escape (`LABEL \\x=1`):
 *   dockerfile-ast finds no arguments there (findLeadingNonWhitespace gives up at an
 *   escape not before a line break); Docker reads the word.
 * - a flag with an escape or a continuation inside (`--x\`, `--chmod=755`): dockerfile-ast
 *   cuts the name with an index into the text as written, used on the unescaped word.
 * - in ENV, LABEL and ARG: a line that starts with a quote (dockerfile-ast's continuation
 *   state outlives the quoted string, and a later continuation cuts the word at the first
 *   one, dropping text); a continued line of blanks only before a comment line (the blank
 *   is lost as a separator); a blank line with blanks inside a continued name (one blank
 *   stays, off by one); an unterminated quote before a trailing comment line (the
 *   comment's text joins the value); an `=` in a comment line inside a continuation (the
 *   name is cut at the first `=` of the text as written, comments included). Docker
 *   skips blank and comment lines whole.
 * - an escaped blank before the escape (`\ \`: dockerfile-ast skips the character after
 *   `\ `, so the line's continuation goes unseen), a continued line that starts with an
 *   escaped blank (`\ x`, also `\\ x`) or with blanks and an escape (` \$x`: in ENV,
 *   LABEL and ARG dockerfile-ast drops that escape), an escape inside a comment line within a continuation
 *   (dockerfile-ast reads escapes in the comment, and ends the last word there), a line ending in a
 *   doubled escape (`\\`), an escape alone as an instruction's first character, a
 *   parser directive with more text after its value, a second or an empty one, and a
 *   heredoc named `""`: dockerfile-ast's readings there are its own (it skips the
 *   character after `\ `, splits `a\\` from the next line's word, counts directives not
 *   lines); Docker's differ.
 */

type Outcome = { ok: unknown } | { error: { reason: string; line: number; column: number } };

function outcome(parse: (source: string) => unknown, source: string): Outcome {
  try {
    return { ok: parse(source) };
  } catch (err) {
    if (!(err instanceof DockerfileParseError)) throw err;
    return { error: { reason: err.reason, line: err.line, column: err.column } };
  }
}

const KEYWORDS = [...KNOWN];
const ODD_KEYWORDS = ['HEALTHCHECK', 'ONBUILD', 'MAINTAINER', 'FOO', '실행', 'R\\UN'];

/** Readings of dockerfile-ast's own, left out of the generator (see above); `¦` is the escape, `¶` a line break. */
const DOCKERFILE_AST_ONLY = [
  /¦¦[ \t]*¶/, // a doubled escape ending a line
  /¦[ \t]+¦/, // an escaped blank before an escape
  /¶[ \t]*#[^¶]*(¦(?!¶)|=)/, // an escape, or an `=`, inside a comment line
  /(^|¶)[ \t]*[^ \t¦¶#][^ \t¶]*¦[ \t]*¶(?:[ \t]*¶)*[ \t]*#/, // a comment line after a continued keyword
  /--[^ \t¶]*¦/, // an escape in a flag
  /¶[ \t]*¦+[ \t]+[^ \t¶]|¶[ \t]+¦[^ \t¶]/, // a line starting with escaped blanks, or with blanks and an escape
  /(^|¶)[ \t]*["']/, // a line starting with a quote
  /¶[ \t]+¦[ \t]*¶/, // a continued line of blanks only
  /¦[ \t]*¶(?:[ \t]*¶)*[ \t]+¶/, // a blank line with blanks inside a continuation
];

/** A Dockerfile as parts: `¦` stands for the escape character, `¶` for the line break. */
const dockerfile = fc
  .record({
    escape: fc.constantFrom('\\', '`'),
    directive: fc.constantFrom('none', 'escape', 'ESCAPE', 'syntax', 'both', 'spaced'),
    crlf: fc.boolean(),
    bom: fc.boolean(),
    lead: fc.array(fc.constantFrom('', '# a comment', '  # indented comment', '   ', '# 한국어 주석', 'ARG V=1', 'ARG B', 'ARG C=x D'), {
      maxLength: 3,
    }),
    // Mostly a stage that parses, so that the instructions after it are compared too.
    from: fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('FROM busybox', 'from alpine AS build', '  FROM\tb', 'FROM ¦ ¶  a', 'FROM ${V} AS two') },
      { weight: 1, arbitrary: fc.constantFrom('FROM --platform=x a', 'FROM a as 1bad', '') },
    ),
    body: fc.array(
      fc.oneof(
        { weight: 8, arbitrary: instruction() },
        { weight: 2, arbitrary: fc.constantFrom('', '# note', '\t# note ¦', '  ', 'FROM scratch AS other') },
      ),
      {
        maxLength: 8,
      },
    ),
    end: fc.constantFrom('', '¶', '¶¶', ' ¶'),
  })
  .map((d) => {
    const directives = {
      none: [],
      escape: [`# escape=${d.escape}`],
      ESCAPE: [`#ESCAPE = ${d.escape}`],
      syntax: ['# syntax=docker/dockerfile:1'],
      both: ['# syntax=docker/dockerfile:1', `# escape=${d.escape}`],
      spaced: [` #  escape=${d.escape}`],
    }[d.directive];
    const escape = d.directive === 'none' || d.directive === 'syntax' ? '\\' : d.escape;
    const nl = d.crlf ? '\r\n' : '\n';
    let text: string = [...d.lead, d.from, ...d.body].join('¶') + d.end;
    // The escape at the very end: Docker drops it, dockerfile-ast keeps it (see above).
    if (/¦[ \t]*$/.test(text)) text += '¶';
    return { directives, text, nl, escape, bom: d.bom };
  })
  .filter((d) => !DOCKERFILE_AST_ONLY.some((re) => re.test(d.text)))
  .map((d) => (d.bom ? '\uFEFF' : '') + [...d.directives, d.text].join('¶').replace(/¶/g, d.nl).replace(/¦/g, d.escape));

function instruction(): fc.Arbitrary<string> {
  const keyword = fc.oneof(
    // ARG only with `name=value` words (envLike), see above.
    { weight: 10, arbitrary: fc.constantFrom(...KEYWORDS.filter((k) => k !== 'ARG')) },
    { weight: 2, arbitrary: fc.constantFrom('run', 'copy', 'from', 'env', 'cmd', 'Run', 'cOPY', 'Env') },
    { weight: 1, arbitrary: fc.constantFrom(...ODD_KEYWORDS) },
  );
  const lead = fc.constantFrom('', '', '', ' ', '\t  ');
  const afterKeyword = fc.constantFrom(' ', ' ', ' ', '\t', '  ', ' ¦¶', ' ¦  ¶  ', '¦¶  ', ' ¦¶# comment ¶ ', '');
  const separator = fc.constantFrom(
    ' ',
    ' ',
    ' ',
    '\t',
    '   ',
    ' ¦¶',
    ' ¦¶  ',
    '¦¶',
    '¦¶ ',
    ' ¦  ¶',
    ' ¦¶# c ¦¶  ',
    ' ¦¶  # c ¶',
    ' ¦¶¶  ',
    ' ¦¶#¶ ',
  );
  const word = fc.oneof(
    {
      weight: 6,
      arbitrary: fc.constantFrom(
        'echo',
        'a',
        '/x',
        '/dst/',
        'src',
        'b.txt',
        '$HOME',
        '${V}',
        '${V:-d}',
        '&&',
        '#no',
        'AS',
        'as',
        'stage',
        '80/tcp',
        '안녕',
        'x=y',
        '',
      ),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '--from=build',
        '--chown=1:2',
        '--chmod=755',
        '--platform=linux',
        '--mount=type=cache',
        '--x',
        '--',
        'a--b',
        '--from',
      ),
    },
    {
      weight: 3,
      arbitrary: fc.constantFrom('K=v', 'K=', 'k2="a b"', "k3='c d'", 'K=a¦ b', '"q w"', "'s q'", '"Q"=x', '=v', 'K=${V}', 'K="¦$x"', 'k=한 국'),
    },
    { weight: 2, arbitrary: fc.constantFrom('["a", "b"]', '[]', '["/bin/sh", "-c"]', '[ "x" ]', '["a",', '[1]', '"["', '¦$x', 'a¦ b', '¦¦') },
  );
  const args = fc.array(fc.tuple(word, separator), { maxLength: 6 }).map((ws) => ws.map(([w, s], i) => (i ? s : '') + w).join(''));
  const plain = fc.tuple(lead, keyword, afterKeyword, args).map(([l, k, s, a]) => l + k + s + a);
  const heredoc = fc
    .tuple(
      fc.constantFrom('RUN', 'COPY', 'ADD', 'run'),
      fc.constantFrom('<<EOF', '<<-EOF', 'cat <<EOF', '<<"EOF"', '<<EOF /dst', '--chown=1 <<EOF /d'),
      fc.array(fc.constantFrom('echo hi', '# inside', '', '  spaced', 'EOF ', 'x¦', 'FROM x'), { maxLength: 3 }),
      fc.constantFrom('EOF', '\tEOF', ' EOF', 'NOPE'),
    )
    .map(([k, h, body, end]) => [`${k} ${h}`, ...body, end].join('¶'));
  const envLike = fc
    .tuple(
      fc.constantFrom('ENV', 'LABEL', 'ARG', 'env'),
      fc.array(
        fc.tuple(
          fc.constantFrom('A', 'B_2', 'lbl.x', '"q"'),
          fc.constantFrom('=1', '="a b"', "='x y'", '=a¦ b', '=', '=¦$V', '="¦""', '=a#b', '=값'),
        ),
        { minLength: 1, maxLength: 3 },
      ),
      separator,
    )
    .map(([k, pairs, s]) => `${k} ${pairs.map(([n, v]) => n + v).join(s)}`);
  const legacyEnv = fc
    .tuple(fc.constantFrom('ENV', 'LABEL'), fc.constantFrom(' K v', ' K  two words', ' K "q v"', ' K¦¶  v ¦¶ w'))
    .map(([k, r]) => k + r);
  return (
    fc
      .oneof(
        { weight: 8, arbitrary: plain },
        { weight: 2, arbitrary: heredoc },
        { weight: 3, arbitrary: envLike },
        { weight: 1, arbitrary: legacyEnv },
      )
      // ENV, LABEL or ARG's first word starting with the escape (see above).
      .filter((ins) => !/^[ \t]*(env|label|arg)(?:[ \t¶]|¦[ \t]*¶)*¦/i.test(ins))
  );
}

describe('parseDockerfile against dockerfile-ast', () => {
  it('reads random Dockerfiles as dockerfile-ast does', () => {
    fc.assert(
      fc.property(dockerfile, (source) => {
        expect(outcome(parseDockerfile, source)).toEqual(outcome(parseWithDockerfileAst, source));
      }),
      { numRuns: Number(process.env.DF_RUNS ?? 2000), seed: Number(process.env.DF_SEED ?? 20261206) },
    );
  }, 600_000);
});
